package dev.modelsigning.core.hashing;

import dev.modelsigning.core.ModelSigningException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Hashes an exact number of bytes from a channel with one bounded, reused buffer: memory stays
 * constant whatever the file size. A channel that ends early means the file shrank after it was
 * listed, which is reported rather than hashed.
 */
public final class RangeHasher {
  /** 1 MiB: large enough that per-call overhead vanishes, small enough to keep many in flight. */
  public static final int DEFAULT_BUFFER_SIZE = 1 << 20;

  private final ByteBuffer buffer;

  public RangeHasher() {
    this(DEFAULT_BUFFER_SIZE);
  }

  public RangeHasher(int bufferSize) {
    this.buffer = ByteBuffer.allocate(bufferSize);
  }

  /**
   * Reads {@code length} bytes from the channel's current position and returns their digest.
   *
   * @param what the resource name, for error messages
   */
  public byte[] hash(ReadableByteChannel channel, long length, HashAlgorithm algorithm, String what)
      throws IOException {
    Digester digester = algorithm.newDigester();
    long remaining = length;
    while (remaining > 0) {
      buffer.clear();
      if (remaining < buffer.capacity()) {
        buffer.limit((int) remaining);
      }
      int n = channel.read(buffer);
      if (n < 0) {
        throw new ModelSigningException(
            "'"
                + what
                + "' ended "
                + remaining
                + " bytes early: the file changed while it was being hashed");
      }
      buffer.flip();
      digester.update(buffer);
      remaining -= n;
    }
    return digester.finish();
  }
}
