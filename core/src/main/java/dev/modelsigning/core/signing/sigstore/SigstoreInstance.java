package dev.modelsigning.core.signing.sigstore;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which Sigstore deployment to sign with: Fulcio, a Rekor log (API v1, or v2, which takes no entry
 * without an RFC 3161 timestamp), an optional RFC 3161 timestamp authority, and the trusted root
 * that verifies what they issue (absent for the public instances, whose root comes from TUF).
 */
public record SigstoreInstance(
    URI fulcioUrl,
    URI rekorUrl,
    int rekorApiVersion,
    Optional<URI> tsaUrl,
    Optional<Path> trustedRoot) {

  public SigstoreInstance {
    Objects.requireNonNull(fulcioUrl, "fulcioUrl");
    Objects.requireNonNull(rekorUrl, "rekorUrl");
    Objects.requireNonNull(tsaUrl, "tsaUrl");
    Objects.requireNonNull(trustedRoot, "trustedRoot");
    if (rekorApiVersion != 1 && rekorApiVersion != 2) {
      throw new IllegalArgumentException("Rekor API version must be 1 or 2: " + rekorApiVersion);
    }
  }

  /** An instance with a Rekor v1 log. */
  public SigstoreInstance(
      URI fulcioUrl, URI rekorUrl, Optional<URI> tsaUrl, Optional<Path> trustedRoot) {
    this(fulcioUrl, rekorUrl, 1, tsaUrl, trustedRoot);
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
   * A deployment described by a {@code trusted_root.json} and a {@code signing_config.json} (v0.2
   * {@code caUrls}/{@code rekorTlogUrls}/{@code tsaUrls}, or the older v0.1 {@code caUrl}/{@code
   * tlogUrls}/{@code tsaUrls}). A config that selects a Rekor v2 log (such as public good's opt-in
   * Rekor v2 config) makes the signer write there.
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
    return SigningConfigFile.parse(signingConfig, source, java.time.Clock.systemUTC())
        .toInstance(Optional.empty());
  }

  /**
   * Same instance without a timestamp authority (Rekor's integrated time is then the only time).
   */
  public SigstoreInstance withoutTimestampAuthority() {
    return new SigstoreInstance(
        fulcioUrl, rekorUrl, rekorApiVersion, Optional.empty(), trustedRoot);
  }
}
