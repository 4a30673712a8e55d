package dev.modelsigning.core.hashing;

import java.nio.ByteBuffer;

/** An incremental hash over bytes fed in order. */
public interface Digester {
  /** Consumes the buffer's remaining bytes. */
  void update(ByteBuffer bytes);

  /** The digest of everything fed so far; the digester must not be used afterwards. */
  byte[] finish();
}
