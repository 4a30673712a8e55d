package dev.modelsigning.core.verify;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.DsseEncoding;
import dev.modelsigning.core.format.SigstoreBundle;
import dev.modelsigning.core.format.VerificationMaterial;
import dev.modelsigning.core.signing.EcSignatureScheme;
import dev.modelsigning.core.signing.Pem;
import dev.modelsigning.core.signing.PemKeys;
import dev.modelsigning.core.signing.PublicKeyHint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;

/**
 * Policy "signed by this public key" (the {@code key} method). Accepts every layout model_signing
 * has written: a {@code hint} (v1.1+), the key itself in {@code rawBytes} (v0.3.1..v1.0.x), or
 * neither-but-tolerated. Whatever the bundle says about its key, only the configured key is used to
 * check the signature; the bundle's claim is only compared, so a mismatch can be reported clearly.
 */
public final class KeyVerifier implements SignatureVerifier {
  private final PublicKey key;
  private final String hint;

  private KeyVerifier(PublicKey key) {
    EcSignatureScheme.of(key); // refuse RSA, Ed25519 and other curves up front (user input)
    this.key = key;
    this.hint = PublicKeyHint.of(key);
  }

  public static KeyVerifier fromPem(Path publicKeyPem) {
    return new KeyVerifier(PemKeys.readPublicKey(publicKeyPem));
  }

  public static KeyVerifier fromPem(Pem publicKey) {
    return new KeyVerifier(PemKeys.readPublicKey(publicKey));
  }

  public static KeyVerifier of(PublicKey key) {
    return new KeyVerifier(key);
  }

  public String keyHint() {
    return hint;
  }

  @Override
  public VerifiedSignature verify(SigstoreBundle bundle) {
    if (!(bundle.material() instanceof VerificationMaterial.PublicKey material)) {
      throw new VerificationException(
          "the bundle was not signed with the key method (it carries "
              + MaterialNames.of(bundle.material())
              + "); verify it with the matching method");
    }
    if (material.hint() != null && !material.hint().isEmpty() && !hint.equals(material.hint())) {
      throw new VerificationException(
          "the bundle names the signing key sha256:"
              + material.hint()
              + ", not the configured public key sha256:"
              + hint);
    }
    if (material.rawBytes() != null) {
      requireSameKey(material.rawBytes());
    }
    DsseEncoding encoding =
        EnvelopeSignatureCheck.require(
            bundle.envelope(), key, "the configured public key sha256:" + hint);
    return new VerifiedSignature(bundle.envelope().payload(), "key sha256:" + hint, encoding);
  }

  /**
   * model_signing v0.3.1..v1.0.x put the PEM text of the key, base64-encoded, in rawBytes; the
   * Sigstore bundle spec says DER SubjectPublicKeyInfo. Accept both.
   */
  private void requireSameKey(byte[] rawBytes) {
    PublicKey embedded;
    try {
      String text = new String(rawBytes, StandardCharsets.ISO_8859_1);
      embedded =
          text.contains("-----BEGIN")
              ? PemKeys.parsePublicKey(text, "bundle publicKey.rawBytes")
              : PemKeys.parsePublicKey(
                  Pem.encode("PUBLIC KEY", rawBytes), "bundle publicKey.rawBytes");
    } catch (InvalidInputException e) {
      throw new VerificationException(
          "bundle verificationMaterial.publicKey.rawBytes is not a usable key: " + e.getMessage(),
          e);
    }
    if (!PemKeys.sameKey(embedded, key)) {
      throw new VerificationException(
          "the bundle carries the signing key sha256:"
              + PublicKeyHint.of(embedded)
              + ", not the configured public key sha256:"
              + hint);
    }
  }
}
