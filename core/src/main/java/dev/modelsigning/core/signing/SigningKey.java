package dev.modelsigning.core.signing;

import java.security.KeyPair;
import java.security.PublicKey;

/**
 * An EC key that can sign but whose private part this process may never hold: a local key, a key in
 * a PKCS#11 token, or a key in a cloud KMS. {@link KeySigner} and {@link CertificateSigner} build
 * the same bundles from any of them.
 */
public interface SigningKey {
  /**
   * The public half; it decides the signature scheme (curve and hash, {@link EcSignatureScheme}).
   */
  PublicKey publicKey();

  /**
   * Signs {@code message} with ECDSA, hashing it with the curve's hash ({@link
   * EcSignatureScheme#digestAlgorithm()}), and returns the ASN.1 DER signature.
   *
   * @throws dev.modelsigning.core.ModelSigningException when the vault refuses or fails
   */
  byte[] signDer(byte[] message);

  /** Where the key lives, for messages (e.g. a KMS key name). Never holds a secret. */
  String description();

  /** A private key held in this process. */
  static SigningKey of(KeyPair keyPair) {
    return new LocalSigningKey(keyPair);
  }
}
