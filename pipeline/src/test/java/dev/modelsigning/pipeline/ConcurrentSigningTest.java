package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.pipeline.io.SignatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures are published all-or-nothing, and of concurrent signers exactly one wins. */
class ConcurrentSigningTest {
  @TempDir Path tmp;

  @Test
  void twoJobsSigningTheSameModelAtOnceLeaveExactlyOneValidSignature() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Cli>> jobs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        jobs.add(pool.submit(() -> SampleModels.signWithDemoKey(model)));
      }
      List<Integer> codes = new ArrayList<>();
      for (Future<Cli> j : jobs) {
        Cli r = j.get();
        codes.add(r.exitCode());
        if (r.exitCode() != 0) {
          assertTrue(r.err().contains("already exists"), r.all());
        }
      }
      codes.sort(Integer::compare);
      // Both may succeed only when the loser found the winner's identical statement (a retry).
      assertTrue(codes.equals(List.of(0, 2)) || codes.equals(List.of(0, 0)), codes.toString());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, SampleModels.verifyWithDemoKey(model).exitCode());
    assertEquals(List.of("model.sig"), leftovers(model));
  }

  @Test
  void readersNeverSeeAPartialSignatureWhileItIsOverwritten() throws Exception {
    Path sig = tmp.resolve("model.sig");
    byte[] small = bundle(10);
    byte[] large = bundle(200_000);
    SignatureStore.write(sig.toString(), small, false);
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              while (!done.get()) {
                try {
                  BundleReader.read(Files.readAllBytes(sig));
                  reads.incrementAndGet();
                } catch (Exception e) {
                  throw new AssertionError("a reader saw a torn signature", e);
                }
              }
            });
    List<Throwable> failures = new ArrayList<>();
    reader.setUncaughtExceptionHandler((t, e) -> failures.add(e));
    reader.start();
    for (int i = 0; i < 200; i++) {
      SignatureStore.write(sig.toString(), i % 2 == 0 ? large : small, true);
    }
    done.set(true);
    reader.join();
    assertTrue(failures.isEmpty(), failures.toString());
    assertTrue(reads.get() > 0);
    assertEquals(List.of("model.sig"), leftovers(tmp));
  }

  /** A valid key bundle whose payload is padded to about {@code size} bytes. */
  private static byte[] bundle(int size) throws Exception {
    Path model = Files.createTempDirectory("bundle-src");
    Files.writeString(model.resolve("pad.txt"), "x".repeat(size));
    assertEquals(
        0, SampleModels.signWithDemoKey(model, "--method=shards", "--shardSize=64").exitCode());
    return Files.readAllBytes(model.resolve("model.sig"));
  }

  private static List<String> leftovers(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.contains(".sig"))
          .sorted()
          .toList();
    }
  }
}
