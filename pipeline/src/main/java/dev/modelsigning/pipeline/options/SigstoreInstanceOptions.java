package dev.modelsigning.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.jspecify.annotations.Nullable;

/** Which Sigstore deployment to sign with or trust. */
public interface SigstoreInstanceOptions extends PipelineOptions {
  @Description(
      "Sigstore instance: public-good, staging, or custom (then give --trustedRoot and, to sign,"
          + " --signingConfig).")
  @Default.String("public-good")
  String getSigstoreInstance();

  void setSigstoreInstance(String value);

  @Description(
      "trusted_root.json (or a ClientTrustConfig JSON) of the Sigstore instance; also lets"
          + " public-good bundles verify offline.")
  @Nullable String getTrustedRoot();

  void setTrustedRoot(@Nullable String value);
}
