package dev.modelsigning.beam.spec;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.signing.sigstore.KeylessIdentityPolicy;
import dev.modelsigning.core.signing.sigstore.SigstoreBundleVerifier;
import dev.modelsigning.core.signing.sigstore.SigstoreTrustRoot;
import dev.modelsigning.core.verify.CertificateChainVerifier;
import dev.modelsigning.core.verify.KeyVerifier;
import dev.modelsigning.core.verify.SignatureVerifier;
import dev.modelsigning.core.verify.ValidityCheck;
import dev.modelsigning.core.verify.VerifiedSignature;
import java.nio.file.Path;
import java.util.List;

/**
 * The signature policy the options describe, built on the worker that verifies.
 *
 * @param kind key, certificate or sigstore
 * @param publicKey PEM public key path
 * @param caCertificates PEM CA certificate paths
 * @param certificateValidity now or not-before
 * @param identity expected certificate identity
 * @param issuer expected OIDC issuer
 * @param instance public-good, staging or custom
 * @param trustedRoot trusted_root.json (or ClientTrustConfig) path
 */
public record VerifierSpec(
    String kind,
    String publicKey,
    List<String> caCertificates,
    String certificateValidity,
    String identity,
    String issuer,
    String instance,
    String trustedRoot)
    implements VerifierFactory {

  public VerifierSpec {
    caCertificates = caCertificates == null ? List.of() : List.copyOf(caCertificates);
  }

  /** Refuses incomplete or unknown choices, at launch, before any hashing is paid for. */
  public void validate() {
    switch (kind) {
      case "key" -> require(publicKey, "--publicKey", "key");
      case "certificate" -> {
        if (caCertificates.isEmpty()) {
          throw new InvalidInputException(
              "--caCertificates is required for --verifier=certificate");
        }
        validity();
      }
      case "sigstore" -> {
        require(identity, "--identity", "sigstore");
        require(issuer, "--identityProvider", "sigstore");
        if ("custom".equals(instance)) {
          require(trustedRoot, "--trustedRoot", "sigstore with --sigstoreInstance=custom");
        }
      }
      default ->
          throw new InvalidInputException(
              "unknown --verifier '" + kind + "' (use key, certificate or sigstore)");
    }
  }

  private static void require(String value, String option, String forWhat) {
    if (value == null || value.isEmpty()) {
      throw new InvalidInputException(option + " is required for --verifier=" + forWhat);
    }
  }

  private ValidityCheck validity() {
    return switch (certificateValidity) {
      case "now" -> ValidityCheck.CURRENT_TIME;
      case "not-before" -> ValidityCheck.AT_NOT_BEFORE;
      default ->
          throw new InvalidInputException(
              "unknown --certificateValidity '" + certificateValidity + "' (now or not-before)");
    };
  }

  @Override
  public SignatureVerifier create() {
    return switch (kind) {
      case "key" -> KeyVerifier.fromPem(Path.of(publicKey));
      case "certificate" ->
          CertificateChainVerifier.fromPem(
              caCertificates.stream().map(Path::of).toList(), validity());
      case "sigstore" -> keyless();
      default -> throw new InvalidInputException("unknown --verifier '" + kind + "'");
    };
  }

  /** The policy pins the identity, so a bundle that passes was signed by exactly it. */
  private SignatureVerifier keyless() {
    SigstoreBundleVerifier verifier =
        new SigstoreBundleVerifier(new KeylessIdentityPolicy(identity, issuer, trustRoot()));
    return bundle ->
        new VerifiedSignature(verifier.verify(bundle.json()), identity + " (" + issuer + ")");
  }

  /** A given trusted root wins (offline); else the named public instance's, fetched over TUF. */
  private SigstoreTrustRoot trustRoot() {
    if (trustedRoot != null && !trustedRoot.isEmpty()) {
      return SigstoreTrustRoot.fromFile(Path.of(trustedRoot));
    }
    return switch (instance) {
      case "public-good" -> SigstoreTrustRoot.publicGood();
      case "staging" -> SigstoreTrustRoot.staging();
      default ->
          throw new InvalidInputException(
              "unknown --sigstoreInstance '" + instance + "' (public-good, staging or custom)");
    };
  }
}
