package dev.modelsigning.pipeline.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.jspecify.annotations.Nullable;

/** Options shared by every job that reads one model: where it is and what belongs to it. */
public interface ModelOptions extends PipelineOptions {
  @Description(
      "The model: a directory or single file, as a local path, gs://bucket/prefix or"
          + " s3://bucket/prefix.")
  @Validation.Required
  String getModel();

  void setModel(String value);

  @Description(
      "Where the signature bundle is (or goes). Default: model.sig inside the model directory,"
          + " or <file>.sig beside a single-file model.")
  @Nullable String getSignature();

  void setSignature(@Nullable String value);

  @Description(
      "Paths to leave out of the model, relative to the model root (comma-separated). .git,"
          + " .gitattributes, .github, .gitignore and the signature file are always left out.")
  @Nullable List<String> getIgnorePaths();

  void setIgnorePaths(@Nullable List<String> value);

  @Description("Follow symlinks to files inside the model instead of refusing them.")
  @Default.Boolean(false)
  boolean getAllowSymlinks();

  void setAllowSymlinks(boolean value);
}
