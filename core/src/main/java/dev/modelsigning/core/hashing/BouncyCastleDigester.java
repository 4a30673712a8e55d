package dev.modelsigning.core.hashing;

import java.nio.ByteBuffer;
import org.bouncycastle.crypto.Digest;

/** A {@link Digester} over a BouncyCastle lightweight {@link Digest}. */
final class BouncyCastleDigester implements Digester {
  private final Digest digest;
  private byte[] scratch = new byte[0];

  BouncyCastleDigester(Digest digest) {
    this.digest = digest;
  }

  @Override
  public void update(ByteBuffer bytes) {
    if (bytes.hasArray()) {
      int n = bytes.remaining();
      digest.update(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
      bytes.position(bytes.limit());
      return;
    }
    if (scratch.length < bytes.remaining()) {
      scratch = new byte[bytes.remaining()];
    }
    int n = bytes.remaining();
    bytes.get(scratch, 0, n);
    digest.update(scratch, 0, n);
  }

  @Override
  public byte[] finish() {
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }
}
