package dev.modelsigning.pipeline.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.jspecify.annotations.Nullable;

/** Options of the registry re-verification job. */
public interface VerifyRegistryOptions extends VerifierOptions, JobOptions {
  @Description(
      "Registry root holding many models (local path, gs:// or s3://). Every directory that holds"
          + " a signature file (--signatureName) is one model.")
  @Nullable String getRegistry();

  void setRegistry(@Nullable String value);

  @Description(
      "Instead of scanning --registry: a text file (local, gs://, s3://) with one model path per"
          + " line; each model's signature is <model>/<signatureName>.")
  @Nullable String getModelList();

  void setModelList(@Nullable String value);

  @Description("Name of the signature file inside each model directory.")
  @Default.String("model.sig")
  String getSignatureName();

  void setSignatureName(String value);

  @Description(
      "Where the report goes (local, gs://, s3://): <report>/report.jsonl (one line per model)"
          + " and <report>/summary.json. Never inside a model.")
  @Validation.Required
  String getReport();

  void setReport(String value);

  @Description(
      "Also report directories that look like models (they hold a --modelMarker file) but have no"
          + " signature, as unsigned.")
  @Default.Boolean(false)
  boolean getRequireSigned();

  void setRequireSigned(boolean value);

  @Description("File-name glob that marks a directory as a model for --requireSigned.")
  @Default.String("*.safetensors")
  String getModelMarker();

  void setModelMarker(String value);

  @Description(
      "Paths to leave out of every model, relative to each model root (comma-separated), for"
          + " signatures that did not record their ignore paths (model_signing before v1.1).")
  @Nullable List<String> getIgnorePaths();

  void setIgnorePaths(@Nullable List<String> value);

  @Description(
      "Optional JSON policy file mapping model path prefixes (relative to --registry) to"
          + " verification policies; the longest matching prefix wins, else the --verifier"
          + " options apply.")
  @Nullable String getPolicyFile();

  void setPolicyFile(@Nullable String value);

  @Description(
      "Verify models that hold files their signature does not list (reported in the model's"
          + " report line, never read); a policy file rule may set \"ignoreUnsignedFiles\": true.")
  @Default.Boolean(false)
  boolean getIgnoreUnsignedFiles();

  void setIgnoreUnsignedFiles(boolean value);

  @Description(
      "Fail the job (non-zero exit) when any model is not verified, after the report is"
          + " written.")
  @Default.Boolean(true)
  boolean getFailOnInvalid();

  void setFailOnInvalid(boolean value);
}
