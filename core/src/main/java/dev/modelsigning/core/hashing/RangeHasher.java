package dev.modelsigning.core.hashing;

import dev.modelsigning.core.ModelSigningException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

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
    // Direct: a file channel reads straight into it (a heap buffer costs a second copy through a
    // temporary direct buffer).
    this.buffer = ByteBuffer.allocateDirect(bufferSize);
  }

  /**
   * Reads {@code length} bytes from the channel's current position and returns their digest.
   *
   * @param what the resource name, for error messages
   */
  public byte[] hash(ReadableByteChannel channel, long length, HashAlgorithm algorithm, String what)
      throws IOException {
    return hashConsecutive(channel, new long[] {length}, algorithm, what, null).get(0);
  }

  /**
   * Reads consecutive ranges from the channel's current position, one after the other, and returns
   * each range's digest. One big read serves many small ranges (tiny shards cost a digest each, not
   * a read each).
   *
   * @param lengths each range's length, in order
   * @param what the file, for error messages
   * @param progress told how many bytes were just hashed, or null
   */
  public List<byte[]> hashConsecutive(
      ReadableByteChannel channel,
      long[] lengths,
      HashAlgorithm algorithm,
      String what,
      @Nullable LongConsumer progress)
      throws IOException {
    List<byte[]> digests = new ArrayList<>(lengths.length);
    long total = 0;
    for (long l : lengths) {
      total += l;
    }
    int unit = 0;
    while (unit < lengths.length && lengths[unit] == 0) {
      digests.add(algorithm.newDigester().finish());
      unit++;
    }
    Digester digester = algorithm.newDigester(); // unused when every range is empty
    long unitLeft = unit < lengths.length ? lengths[unit] : 0;
    long remaining = total;
    while (remaining > 0) {
      int n = readNext(channel, remaining, what);
      remaining -= n;
      while (buffer.hasRemaining()) {
        int take = (int) Math.min(unitLeft, buffer.remaining());
        int limit = buffer.limit();
        buffer.limit(buffer.position() + take);
        digester.update(buffer);
        buffer.limit(limit);
        unitLeft -= take;
        while (unitLeft == 0 && unit < lengths.length) {
          digests.add(digester.finish());
          unit++;
          if (unit < lengths.length) {
            digester = algorithm.newDigester();
            unitLeft = lengths[unit];
          }
          if (unit < lengths.length && unitLeft != 0) {
            break;
          }
        }
      }
      if (progress != null) {
        progress.accept(n);
      }
    }
    return digests;
  }

  /** Fills the buffer with at most {@code remaining} bytes and flips it for reading. */
  private int readNext(ReadableByteChannel channel, long remaining, String what)
      throws IOException {
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
    return n;
  }
}
