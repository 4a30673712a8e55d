package dev.modelsigning.pipeline.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.jspecify.annotations.Nullable;

/** Options every job of this project has. */
public interface JobOptions extends PipelineOptions {
  @Description(
      "Optional file (local, gs:// or s3://) where the job writes a one-line JSON summary: subject"
          + " digest, files, bytes, signature path, verification outcome.")
  @Nullable String getResultFile();

  void setResultFile(@Nullable String value);

  @Description(
      "About how many bytes of work each hashing task holds: small files are grouped into tasks of"
          + " this size, a bigger file is split into runs of it (with --method=shards). Default:"
          + " 64 MiB for local models, 256 MiB for gs:// and s3://. Smaller values spread a small"
          + " model over more workers.")
  @Nullable Long getHashBatchBytes();

  void setHashBatchBytes(@Nullable Long value);
}
