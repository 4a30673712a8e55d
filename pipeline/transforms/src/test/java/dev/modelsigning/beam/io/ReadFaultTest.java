package dev.modelsigning.beam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.beam.values.UnitTask;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.hashing.RangeHasher;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.manifest.WorkUnit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads that fail: mid-file, transiently (retried with backoff, the unit re-hashed from scratch),
 * permanently (not retried, the file named), and files truncated between listing and reading.
 */
class ReadFaultTest {
  @TempDir Path tmp;
  Path model;
  ModelSnapshot snapshot;
  byte[] weights;
  final List<Long> sleeps = new ArrayList<>();

  @BeforeEach
  void listModel() throws Exception {
    model = Files.createDirectory(tmp.resolve("m"));
    weights = new byte[10_000];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (byte) (i * 31);
    }
    Files.write(model.resolve("weights.bin"), weights);
    snapshot =
        ModelLister.snapshot(
            ModelRequest.toSign(
                ModelLocation.of(model.toString()),
                SerializationSettings.files(HashAlgorithm.SHA256, false, List.of()),
                List.of(),
                null));
  }

  private UnitTask task() {
    ListedFile listed = snapshot.files().get(0);
    return new UnitTask(
        snapshot.request().location(),
        HashAlgorithm.SHA256,
        new WorkUnit(listed.path(), 0, listed.size(), false),
        listed);
  }

  private RetryingReads retries(int attempts) {
    return new RetryingReads(attempts, 100, 400, sleeps::add);
  }

  private static ReadableByteChannel realChannel(UnitTask t) throws IOException {
    return FileChannel.open(Path.of(t.location().child(t.unit().path())), StandardOpenOption.READ);
  }

  /** Delivers {@code failAfter} bytes of the real file, then fails like a reset connection. */
  private static ReadableByteChannel failingAfter(ReadableByteChannel in, long failAfter) {
    return new ReadableByteChannel() {
      long delivered;

      @Override
      public int read(ByteBuffer dst) throws IOException {
        if (delivered >= failAfter) {
          throw new IOException("Connection reset by peer");
        }
        int room = (int) Math.min(dst.remaining(), failAfter - delivered);
        ByteBuffer slice = dst.slice();
        slice.limit(room);
        int n = in.read(slice);
        if (n > 0) {
          dst.position(dst.position() + n);
          delivered += n;
        }
        return n;
      }

      @Override
      public boolean isOpen() {
        return in.isOpen();
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  @Test
  void rangeHasherPropagatesAReadThatFailsMidFile() throws Exception {
    UnitTask t = task();
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new RangeHasher(1024)
                    .hash(
                        failingAfter(realChannel(t), 4096),
                        weights.length,
                        HashAlgorithm.SHA256,
                        "weights.bin"));
    assertTrue(e.getMessage().contains("reset"), e.getMessage());
  }

  @Test
  void transientMidFileFailureIsRetriedWithBackoffAndTheUnitRehashedFromScratch() throws Exception {
    AtomicInteger opens = new AtomicInteger();
    UnitHasher hasher =
        new UnitHasher(
            1024,
            t -> opens.incrementAndGet() <= 2 ? failingAfter(realChannel(t), 3000) : realChannel(t),
            retries(4));
    byte[] digest = hasher.hash(task());
    assertArrayEquals(HashAlgorithm.sha256().digest(weights), digest, "a clean, whole-file hash");
    assertEquals(3, opens.get());
    assertEquals(List.of(100L, 200L), sleeps, "exponential backoff");
  }

  @Test
  void persistentFailureGivesUpAfterBoundedAttemptsNamingTheFile() {
    AtomicInteger opens = new AtomicInteger();
    UnitHasher hasher =
        new UnitHasher(
            1024,
            t -> {
              opens.incrementAndGet();
              return failingAfter(realChannel(t), 10);
            },
            retries(5));
    IOException e = assertThrows(IOException.class, () -> hasher.hash(task()));
    assertEquals(5, opens.get());
    assertEquals(List.of(100L, 200L, 400L, 400L), sleeps, "capped at the maximum delay");
    assertTrue(e.getMessage().contains(model.resolve("weights.bin").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("failed 5 times"), e.getMessage());
    assertTrue(e.getMessage().contains("Connection reset by peer"), e.getMessage());
  }

  @Test
  void permanentErrorIsNotRetried() {
    UnitHasher hasher =
        new UnitHasher(
            1024,
            t -> {
              throw new AccessDeniedException(t.location().child(t.unit().path()));
            },
            retries(5));
    IOException e = assertThrows(AccessDeniedException.class, () -> hasher.hash(task()));
    assertTrue(e.getMessage().contains("weights.bin"), e.getMessage());
    assertEquals(List.of(), sleeps);
  }

  @Test
  void fileThatEndsEarlyWhileBeingReadIsAVerdictNotRetried() {
    // The channel ends after 5,000 of the 10,000 listed bytes (truncated mid-read).
    UnitHasher hasher =
        new UnitHasher(
            1024,
            t -> {
              ReadableByteChannel real = realChannel(t);
              return new ReadableByteChannel() {
                int left = 5000;

                @Override
                public int read(ByteBuffer dst) throws IOException {
                  if (left == 0) {
                    return -1;
                  }
                  ByteBuffer s = dst.slice();
                  s.limit(Math.min(s.remaining(), left));
                  int n = real.read(s);
                  dst.position(dst.position() + n);
                  left -= n;
                  return n;
                }

                @Override
                public boolean isOpen() {
                  return true;
                }

                @Override
                public void close() throws IOException {
                  real.close();
                }
              };
            },
            retries(5));
    ModelSigningException e = assertThrows(ModelSigningException.class, () -> hasher.hash(task()));
    assertTrue(e.getMessage().contains("'weights.bin' ended 5000 bytes early"), e.getMessage());
    assertEquals(List.of(), sleeps);
  }

  @Test
  void fileTruncatedBetweenListingAndReadingIsNamed() throws Exception {
    try (FileChannel ch =
        FileChannel.open(model.resolve("weights.bin"), StandardOpenOption.WRITE)) {
      ch.truncate(1234);
    }
    ModelSigningException e =
        assertThrows(ModelSigningException.class, () -> new UnitHasher(1024).hash(task()));
    assertTrue(
        e.getMessage().contains("'weights.bin' was modified after it was listed"), e.getMessage());
    assertTrue(e.getMessage().contains("listed with 10000 bytes"), e.getMessage());
  }

  @Test
  void retryWrapperRetriesOnlyTransientErrors() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    assertEquals(
        "ok",
        retries(3)
            .read(
                "gs://bucket/model/x",
                () -> {
                  if (calls.incrementAndGet() < 3) {
                    throw new IOException("503 Service Unavailable");
                  }
                  return "ok";
                }));
    assertEquals(List.of(100L, 200L), sleeps);
    sleeps.clear();
    assertThrows(
        java.io.FileNotFoundException.class,
        () ->
            retries(3)
                .read(
                    "gs://bucket/model/gone",
                    () -> {
                      throw new java.io.FileNotFoundException("gs://bucket/model/gone");
                    }));
    assertEquals(List.of(), sleeps, "a missing object is not retried");
  }
}
