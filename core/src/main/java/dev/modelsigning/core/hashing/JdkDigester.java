package dev.modelsigning.core.hashing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/** A {@link Digester} over a JDK {@link MessageDigest}. */
final class JdkDigester implements Digester {
  private final MessageDigest digest;

  JdkDigester(MessageDigest digest) {
    this.digest = digest;
  }

  @Override
  public void update(ByteBuffer bytes) {
    digest.update(bytes);
  }

  @Override
  public byte[] finish() {
    return digest.digest();
  }
}
