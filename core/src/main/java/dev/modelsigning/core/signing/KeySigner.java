package dev.modelsigning.core.signing;

import dev.modelsigning.core.format.BundleWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code key} method: signs with an EC key and names the public key in the bundle by its hint,
 * with no transparency log, exactly as model_signing v1.1 does (for a local key and for its {@code
 * pkcs11-key} signer alike). The key may be local or in a vault ({@link SigningKey}): the bundle
 * has the same form either way.
 */
public final class KeySigner implements ModelSigner {
  private final EnvelopeSigner signer;
  private final PublicKey publicKey;
  private final String hint;

  private KeySigner(SigningKey key) {
    this.signer = new EnvelopeSigner(key);
    this.hint = PublicKeyHint.of(key.publicKey());
    this.publicKey = key.publicKey();
  }

  /**
   * @param password for an encrypted key, else null
   */
  public static KeySigner fromPem(Path privateKeyPem, char @Nullable [] password) {
    return fromPem(Pem.read(privateKeyPem, "private key"), password);
  }

  /**
   * @param password for an encrypted key, else null
   */
  public static KeySigner fromPem(Pem privateKey, char @Nullable [] password) {
    return of(PemKeys.readPrivateKey(privateKey, password));
  }

  public static KeySigner of(KeyPair keyPair) {
    return new KeySigner(SigningKey.of(keyPair));
  }

  /** Signs with a key that may live in a PKCS#11 token or a cloud KMS. */
  public static KeySigner of(SigningKey key) {
    return new KeySigner(key);
  }

  /** The {@code publicKey.hint} this signer writes. */
  public String keyHint() {
    return hint;
  }

  public EcSignatureScheme scheme() {
    return signer.scheme();
  }

  @Override
  public Optional<PublicKey> publicKey() {
    return Optional.of(publicKey);
  }

  @Override
  public byte[] sign(byte[] statementJson) {
    return BundleWriter.publicKeyBundle(signer.sign(statementJson), hint);
  }
}
