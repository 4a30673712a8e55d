package dev.modelsigning.beam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.modelsigning.core.SignatureExistsException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gs:// signature write path against google-cloud-nio's in-process fake of the Storage API (no
 * GCS emulator runs here). The fake rejects precondition options, so {@link PreconditionStorage}
 * adds GCS's ifGenerationMatch semantics on top; it is not thread-safe, so two concurrent signers
 * are modelled as two writers whose preconditions are evaluated in turn.
 */
class GcsSignatureStoreTest {
  static final String SIG = "gs://models/llama/model.sig";
  Storage storage;

  @BeforeEach
  void fake() {
    storage = PreconditionStorage.over(LocalStorageHelper.getOptions().getService());
    FakeGcs.install(storage);
  }

  @AfterEach
  void restore() {
    FakeGcs.remove();
  }

  private byte[] read() {
    return storage.readAllBytes(BlobId.of("models", "llama/model.sig"));
  }

  @Test
  void createsThenRefusesToClobberAndKeepsTheFirstBundle() {
    SignatureStore.write(SIG, bytes("first"), false, PipelineOptionsFactory.create());
    assertArrayEquals(bytes("first"), read());
    assertThrows(
        SignatureExistsException.class,
        () -> SignatureStore.write(SIG, bytes("second"), false, PipelineOptionsFactory.create()));
    assertArrayEquals(bytes("first"), read());
  }

  @Test
  void overwriteReplacesTheBundle() {
    SignatureStore.write(SIG, bytes("first"), false, PipelineOptionsFactory.create());
    SignatureStore.write(SIG, bytes("second"), true, PipelineOptionsFactory.create());
    assertArrayEquals(bytes("second"), read());
  }

  @Test
  void overwriteOfAMissingBundleCreatesIt() {
    SignatureStore.write(SIG, bytes("only"), true, PipelineOptionsFactory.create());
    assertArrayEquals(bytes("only"), read());
  }

  @Test
  void ofTwoSignersWithoutOverwriteExactlyOneWins() {
    AtomicInteger won = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    for (String who : new String[] {"job-a", "job-b"}) {
      try {
        new GcsSignatureStore(storage).write(SIG, bytes(who), false);
        won.incrementAndGet();
      } catch (SignatureExistsException e) {
        refused.incrementAndGet();
      }
    }
    assertEquals(1, won.get());
    assertEquals(1, refused.get());
    assertArrayEquals(bytes("job-a"), read());
  }

  @Test
  void objectNamesKeepCharactersAUriWouldReinterpret() {
    assertEquals(
        BlobId.of("models", "llama/a b#1?.sig"), GcsClients.blobId("gs://models/llama/a b#1?.sig"));
  }

  @Test
  void rejectsLocationsThatAreNotObjects() {
    assertThrows(IllegalArgumentException.class, () -> GcsClients.blobId("gs://bucket-only"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
