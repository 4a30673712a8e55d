package dev.modelsigning.core.signing.sigstore;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which Sigstore deployment to sign with: Fulcio, Rekor (v1), an optional RFC 3161 timestamp
 * authority, and the trusted root that verifies what they issue (absent for the public instances,
 * whose root comes from TUF).
 */
public record SigstoreInstance(
    URI fulcioUrl, URI rekorUrl, Optional<URI> tsaUrl, Optional<Path> trustedRoot) {

  public SigstoreInstance {
    Objects.requireNonNull(fulcioUrl, "fulcioUrl");
    Objects.requireNonNull(rekorUrl, "rekorUrl");
    Objects.requireNonNull(tsaUrl, "tsaUrl");
    Objects.requireNonNull(trustedRoot, "trustedRoot");
  }

  /** The Sigstore public-good instance (what model_signing uses by default). */
  public static SigstoreInstance publicGood() {
    return new SigstoreInstance(
        URI.create("https://fulcio.sigstore.dev"),
        URI.create("https://rekor.sigstore.dev"),
        Optional.of(URI.create("https://timestamp.sigstore.dev/api/v1/timestamp")),
        Optional.empty());
  }

  /** Sigstore's staging instance, for trying things out. */
  public static SigstoreInstance staging() {
    return new SigstoreInstance(
        URI.create("https://fulcio.sigstage.dev"),
        URI.create("https://rekor.sigstage.dev"),
        Optional.of(URI.create("https://timestamp.sigstage.dev/api/v1/timestamp")),
        Optional.empty());
  }

  /**
   * A private deployment described by a {@code trusted_root.json} and a {@code signing_config.json}
   * (v0.2 {@code caUrls}/{@code rekorTlogUrls}/{@code tsaUrls}, or the older v0.1 {@code
   * caUrl}/{@code tlogUrls}/{@code tsaUrls}).
   */
  public static SigstoreInstance fromFiles(Path trustedRoot, Path signingConfig) {
    return SigningConfigFile.read(signingConfig).toInstance(Optional.of(trustedRoot));
  }

  /**
   * The same from a signing config already read (shipped to the worker that signs); verifiers take
   * the trusted root separately.
   *
   * @param source where the bytes came from, for messages
   */
  public static SigstoreInstance fromSigningConfig(byte[] signingConfig, String source) {
    return SigningConfigFile.parse(signingConfig, source).toInstance(Optional.empty());
  }

  /**
   * Same instance without a timestamp authority (Rekor's integrated time is then the only time).
   */
  public SigstoreInstance withoutTimestampAuthority() {
    return new SigstoreInstance(fulcioUrl, rekorUrl, Optional.empty(), trustedRoot);
  }
}
