package dev.modelsigning.pipeline.bench;

import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.hashing.RangeHasher;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

/**
 * Single-thread hashing rates over a model directory already in page cache: the project's kernel
 * ({@link RangeHasher} over a {@link FileChannel}) against raw JDK {@link MessageDigest} on bytes
 * already in memory (the ceiling). Run by {@code pipeline/bench/run-benchmark.sh}.
 *
 * <p>Usage: {@code java -cp model-signing.jar dev.modelsigning.pipeline.bench.KernelBenchmark DIR
 * [bufferBytes]}
 */
public final class KernelBenchmark {
  private KernelBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int buffer = args.length > 1 ? Integer.parseInt(args[1]) : RangeHasher.DEFAULT_BUFFER_SIZE;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    long total = totalSize(files);
    // Warm-up lets the JIT compile both paths before they are timed.
    kernel(files, buffer);
    raw(total);
    double kernel = best(() -> kernel(files, buffer), total);
    double raw = best(() -> raw(total), total);
    System.out.printf(
        "kernel_mb_s=%.0f raw_messagedigest_mb_s=%.0f ratio=%.3f bytes=%d buffer=%d%n",
        kernel, raw, kernel / raw, total, buffer);
  }

  private static long totalSize(List<Path> files) throws IOException {
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    return total;
  }

  private interface Run {
    void run() throws IOException;
  }

  /** Best of three: the least disturbed run on a shared machine. */
  private static double best(Run run, long bytes) throws IOException {
    double best = 0;
    for (int i = 0; i < 3; i++) {
      long t = System.nanoTime();
      run.run();
      best = Math.max(best, bytes / 1e6 / ((System.nanoTime() - t) / 1e9));
    }
    return best;
  }

  private static void kernel(List<Path> files, int buffer) throws IOException {
    RangeHasher hasher = new RangeHasher(buffer);
    for (Path f : files) {
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        hasher.hash(ch, ch.size(), HashAlgorithm.SHA256, f.toString());
      }
    }
  }

  /** The same number of bytes through MessageDigest from a 64 MiB array: no I/O at all. */
  private static void raw(long bytes) {
    byte[] block = new byte[64 << 20];
    MessageDigest sha = HashAlgorithm.sha256();
    long left = bytes;
    while (left > 0) {
      int n = (int) Math.min(block.length, left);
      sha.update(block, 0, n);
      left -= n;
    }
    sha.digest();
  }
}
