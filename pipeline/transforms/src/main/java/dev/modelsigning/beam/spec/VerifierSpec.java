package dev.modelsigning.beam.spec;

import dev.modelsigning.core.signing.sigstore.KeylessIdentityPolicy;
import dev.modelsigning.core.verify.CertificateChainVerifier;
import dev.modelsigning.core.verify.KeyVerifier;
import dev.modelsigning.core.verify.SignatureVerifier;
import dev.modelsigning.core.verify.SigstoreVerifier;
import dev.modelsigning.core.verify.ValidityCheck;
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
    return new Sigstore(Pattern.exactly(identity), Pattern.exactly(issuer), service);
  }

  /** Signed keyless by an identity and an issuer that match these (exact or regexp). */
  static Sigstore sigstore(Pattern identity, Pattern issuer, SigstoreService service) {
    return new Sigstore(identity, issuer, service);
  }

  /**
   * An expected identity or issuer: an exact value, or a regular expression the whole value must
   * match (like cosign's {@code --certificate-identity-regexp}).
   */
  record Pattern(String text, boolean regexp) implements Serializable {
    public static Pattern exactly(String value) {
      return new Pattern(value, false);
    }

    public static Pattern regexp(String regexp) {
      KeylessIdentityPolicy.Match.regexp(regexp); // refuse a bad one at launch
      return new Pattern(regexp, true);
    }

    KeylessIdentityPolicy.Match match() {
      return regexp
          ? KeylessIdentityPolicy.Match.regexp(text)
          : KeylessIdentityPolicy.Match.exactly(text);
    }

    @Override
    public String toString() {
      return regexp ? "~" + text : text;
    }
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

  record Sigstore(Pattern identity, Pattern issuer, SigstoreService service)
      implements VerifierSpec {
    /** The policy pins the identity, so a bundle that passes was signed by one that matches. */
    @Override
    public SignatureVerifier create() {
      return SigstoreVerifier.of(
          new KeylessIdentityPolicy(identity.match(), issuer.match(), service.trustRoot()));
    }
  }
}
