package dev.modelsigning.beam.spec;

import dev.modelsigning.core.signing.sigstore.KeylessIdentityPolicy;
import dev.modelsigning.core.signing.sigstore.SigstoreBundleVerifier;
import dev.modelsigning.core.verify.CertificateChainVerifier;
import dev.modelsigning.core.verify.KeyVerifier;
import dev.modelsigning.core.verify.SignatureVerifier;
import dev.modelsigning.core.verify.ValidityCheck;
import dev.modelsigning.core.verify.VerifiedSignature;
import java.io.Serializable;
import java.util.List;

/**
 * Whom a signature must come from, as it travels in the pipeline graph: everything it trusts (a
 * public key, CA certificates, a trusted root) was read at launch and is carried as bytes, so
 * workers need no access to where it came from. Specs compare by content; {@link Verifiers} builds
 * each one once per worker.
 */
public sealed interface VerifierSpec extends Serializable
    permits VerifierSpec.Key, VerifierSpec.Certificate, VerifierSpec.Sigstore {

  /** Builds the verifier (on a worker; use {@link Verifiers#of} to build it once per worker). */
  SignatureVerifier create();

  /** Signed with the key method by this public key. */
  static Key key(Material publicKey) {
    return new Key(publicKey);
  }

  /** Signed with the certificate method by a leaf that chains to one of these CAs. */
  static Certificate certificate(List<Material> caCertificates, ValidityCheck validity) {
    return new Certificate(caCertificates, validity);
  }

  /** Signed keyless by this identity, as issued by this OIDC provider. */
  static Sigstore sigstore(String identity, String issuer, SigstoreService service) {
    return new Sigstore(identity, issuer, service);
  }

  record Key(Material publicKey) implements VerifierSpec {
    @Override
    public SignatureVerifier create() {
      return KeyVerifier.fromPem(publicKey.pem());
    }
  }

  record Certificate(List<Material> caCertificates, ValidityCheck validity)
      implements VerifierSpec {
    public Certificate {
      caCertificates = List.copyOf(caCertificates);
    }

    @Override
    public SignatureVerifier create() {
      return CertificateChainVerifier.fromPems(
          caCertificates.stream().map(Material::pem).toList(), validity);
    }
  }

  record Sigstore(String identity, String issuer, SigstoreService service) implements VerifierSpec {
    /** The policy pins the identity, so a bundle that passes was signed by exactly it. */
    @Override
    public SignatureVerifier create() {
      SigstoreBundleVerifier verifier =
          new SigstoreBundleVerifier(
              new KeylessIdentityPolicy(identity, issuer, service.trustRoot()));
      String signer = identity + " (" + issuer + ")";
      return bundle -> new VerifiedSignature(verifier.verify(bundle.json()), signer);
    }
  }
}
