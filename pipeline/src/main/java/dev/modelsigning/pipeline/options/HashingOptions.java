package dev.modelsigning.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How a model is hashed when it is signed or digested. */
public interface HashingOptions extends PipelineOptions {
  @Description(
      "files: one resource per file; shards: one resource per byte range of --shardSize bytes,"
          + " so one huge file is hashed by many workers.")
  @Default.String("files")
  String getMethod();

  void setMethod(String value);

  @Description("Bytes per shard for --method=shards (model_signing's default: 1000000000).")
  @Default.Long(1_000_000_000L)
  long getShardSize();

  void setShardSize(long value);

  @Description("Content hash: sha256 or blake2b.")
  @Default.String("sha256")
  String getHashAlgorithm();

  void setHashAlgorithm(String value);
}
