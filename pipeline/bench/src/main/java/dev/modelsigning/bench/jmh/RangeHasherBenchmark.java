package dev.modelsigning.bench.jmh;

import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.hashing.RangeHasher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SHA-256 of a 256 MiB file in page cache, one thread: our kernel ({@link RangeHasher}, a heap
 * buffer filled by {@link FileChannel#read}) against the same loop with a direct buffer and against
 * {@link InputStream#read(byte[])}, for buffer sizes 64 KiB..8 MiB. One operation hashes the whole
 * file, so GB/s = ops/s x 0.268435456. {@link RawDigestBenchmark} is the ceiling: the same bytes
 * already in memory.
 *
 * <pre>
 * mvn -B -q package -pl pipeline/bench -am -DskipTests &amp;&amp; java -jar pipeline/bench/target/benchmarks.jar RangeHasherBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class RangeHasherBenchmark {
  /** Bytes hashed per operation. */
  public static final int FILE_SIZE = 256 << 20;

  @Param({"64", "256", "1024", "4096", "8192"})
  public int bufferKiB;

  @Param({"channel-heap", "channel-direct", "stream"})
  public String read;

  private Path file;
  private RangeHasher kernel;
  private ByteBuffer direct;
  private byte[] array;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = BenchFiles.create(FILE_SIZE);
    int size = bufferKiB << 10;
    kernel = new RangeHasher(size);
    direct = ByteBuffer.allocateDirect(size);
    array = new byte[size];
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(file);
  }

  @Benchmark
  public byte[] hashFile() throws IOException {
    return switch (read) {
      case "channel-heap" -> channelHeap();
      case "channel-direct" -> channelDirect();
      case "stream" -> stream();
      default -> throw new IllegalArgumentException(read);
    };
  }

  /** Exactly what production does: RangeHasher over a FileChannel. */
  private byte[] channelHeap() throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return kernel.hash(ch, FILE_SIZE, HashAlgorithm.SHA256, "bench");
    }
  }

  /** RangeHasher's loop with a direct buffer (MessageDigest then copies it in 4 KiB pieces). */
  private byte[] channelDirect() throws IOException {
    MessageDigest md = HashAlgorithm.sha256();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long remaining = FILE_SIZE;
      while (remaining > 0) {
        direct.clear();
        if (remaining < direct.capacity()) {
          direct.limit((int) remaining);
        }
        int n = ch.read(direct);
        if (n < 0) {
          throw new IOException("short file");
        }
        direct.flip();
        md.update(direct);
        remaining -= n;
      }
    }
    return md.digest();
  }

  private byte[] stream() throws IOException {
    MessageDigest md = HashAlgorithm.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(array)) > 0; ) {
        md.update(array, 0, n);
      }
    }
    return md.digest();
  }

  /** A file of random bytes in the temp directory, read once so it is in page cache. */
  static final class BenchFiles {
    private BenchFiles() {}

    static Path create(int size) throws IOException {
      Path p = Files.createTempFile("range-hasher-bench", ".bin");
      byte[] b = new byte[size];
      new SplittableRandom(7).nextBytes(b);
      Files.write(p, b);
      Files.readAllBytes(p);
      return p;
    }
  }
}
