package dev.modelsigning.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the single-model verification job. */
public interface VerifyModelOptions extends ModelOptions, VerifierOptions, JobOptions {
  @Description(
      "Pass even when the model holds files the signature does not list (model_signing's"
          + " --ignore_unsigned_files); they are reported, never read. A missing or changed signed"
          + " file still fails.")
  @Default.Boolean(false)
  boolean getIgnoreUnsignedFiles();

  void setIgnoreUnsignedFiles(boolean value);
}
