package dev.modelsigning.core.signing;

import java.security.KeyPair;
import java.security.PublicKey;

/** A {@link SigningKey} over a private key in this process (a PEM file the user gave). */
final class LocalSigningKey implements SigningKey {
  private final KeyPair keyPair;
  private final EcSignatureScheme scheme;

  LocalSigningKey(KeyPair keyPair) {
    this.keyPair = keyPair;
    this.scheme = EcSignatureScheme.of(keyPair.getPublic());
  }

  @Override
  public PublicKey publicKey() {
    return keyPair.getPublic();
  }

  @Override
  public byte[] signDer(byte[] message) {
    return scheme.sign(keyPair.getPrivate(), message);
  }

  @Override
  public String description() {
    return "local " + scheme.curveName() + " key sha256:" + PublicKeyHint.of(keyPair.getPublic());
  }
}
