package dev.modelsigning.pipeline.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options every job of this project has. */
public interface JobOptions extends PipelineOptions {
  @Description(
      "Optional file (local, gs:// or s3://) where the job writes a one-line JSON summary: subject"
          + " digest, files, bytes, signature path, verification outcome.")
  String getResultFile();

  void setResultFile(String value);
}
