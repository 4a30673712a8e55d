package dev.modelsigning.bench.jmh;

import dev.modelsigning.core.hashing.HashAlgorithm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling for {@link RangeHasherBenchmark}: one JDK SHA-256 over 256 MiB already in a heap
 * array, no I/O, one thread (GB/s = ops/s x 0.268435456).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class RawDigestBenchmark {
  private byte[] bytes;

  @Setup(Level.Trial)
  public void setUp() {
    bytes = new byte[RangeHasherBenchmark.FILE_SIZE];
    new SplittableRandom(7).nextBytes(bytes);
  }

  @Benchmark
  public byte[] sha256InMemory() {
    var md = HashAlgorithm.sha256();
    md.update(bytes, 0, bytes.length);
    return md.digest();
  }
}
