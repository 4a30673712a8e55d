package dev.modelsigning.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the signing job: the model, how to hash it, how to sign it. */
public interface SignModelOptions extends ModelOptions, HashingOptions, SignerOptions, JobOptions {
  @Description("Replace an existing signature file instead of failing.")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);
}
