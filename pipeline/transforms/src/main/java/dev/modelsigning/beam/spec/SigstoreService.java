package dev.modelsigning.beam.spec;

import dev.modelsigning.core.signing.sigstore.SigstoreInstance;
import dev.modelsigning.core.signing.sigstore.SigstoreTrustRoot;
import java.io.Serializable;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which Sigstore deployment to sign with or trust: public good, staging, or a private one described
 * by its signing config (to sign) and trusted root (to verify), read at launch.
 *
 * @param instance which deployment
 * @param signingConfig for {@link Instance#CUSTOM} signing: Fulcio, Rekor and TSA URLs, else null
 * @param trustedRoot a trusted root to verify against offline, else null (public instances then
 *     fetch theirs over TUF on the worker)
 */
public record SigstoreService(
    Instance instance, @Nullable Material signingConfig, @Nullable Material trustedRoot)
    implements Serializable {

  /** The {@code --sigstoreInstance} choices. */
  public enum Instance {
    PUBLIC_GOOD("public-good"),
    STAGING("staging"),
    CUSTOM("custom");

    private final String label;

    Instance(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Instance fromLabel(String label) {
      for (Instance i : values()) {
        if (i.label.equals(label)) {
          return i;
        }
      }
      throw new dev.modelsigning.core.InvalidInputException(
          "unknown --sigstoreInstance '" + label + "' (public-good, staging or custom)");
    }
  }

  /** Where signatures go (built on the worker that signs). */
  public SigstoreInstance signingInstance() {
    return switch (instance) {
      case PUBLIC_GOOD -> SigstoreInstance.publicGood();
      case STAGING -> SigstoreInstance.staging();
      case CUSTOM -> {
        Material config =
            Objects.requireNonNull(signingConfig, "custom signing needs a signing config");
        yield SigstoreInstance.fromSigningConfig(config.bytes(), config.describe());
      }
    };
  }

  /** What verifies them: a given trusted root (offline), else the public instance's, over TUF. */
  public SigstoreTrustRoot trustRoot() {
    if (trustedRoot != null) {
      return SigstoreTrustRoot.fromJson(trustedRoot.bytes(), trustedRoot.describe());
    }
    return switch (instance) {
      case PUBLIC_GOOD -> SigstoreTrustRoot.publicGood();
      case STAGING -> SigstoreTrustRoot.staging();
      case CUSTOM ->
          throw new dev.modelsigning.core.InvalidInputException(
              "--trustedRoot is required with --sigstoreInstance=custom");
    };
  }

  public String describe() {
    return instance.label()
        + (trustedRoot == null ? "" : " trusting " + trustedRoot.describe())
        + (signingConfig == null ? "" : " via " + signingConfig.describe());
  }
}
