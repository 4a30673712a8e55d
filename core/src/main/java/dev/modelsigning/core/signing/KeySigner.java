package dev.modelsigning.core.signing;

import dev.modelsigning.core.format.BundleWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Optional;

/**
 * The {@code key} method: signs with a local EC private key and names the public key in the bundle
 * by its hint, with no transparency log, exactly as model_signing v1.1 does.
 */
public final class KeySigner implements ModelSigner {
  private final EnvelopeSigner signer;
  private final PublicKey publicKey;
  private final String hint;

  private KeySigner(KeyPair keyPair) {
    this.signer = new EnvelopeSigner(keyPair);
    this.hint = PublicKeyHint.of(keyPair.getPublic());
    this.publicKey = keyPair.getPublic();
  }

  /**
   * @param password for an encrypted key, else null
   */
  public static KeySigner fromPem(Path privateKeyPem, char[] password) {
    return fromPem(Pem.read(privateKeyPem, "private key"), password);
  }

  /**
   * @param password for an encrypted key, else null
   */
  public static KeySigner fromPem(Pem privateKey, char[] password) {
    return new KeySigner(PemKeys.readPrivateKey(privateKey, password));
  }

  public static KeySigner of(KeyPair keyPair) {
    return new KeySigner(keyPair);
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
