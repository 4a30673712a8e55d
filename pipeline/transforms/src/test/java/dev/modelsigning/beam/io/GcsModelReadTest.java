package dev.modelsigning.beam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.UnitTask;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.manifest.WorkUnit;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListedEntry;
import dev.modelsigning.core.model.ListingPolicy;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gs:// models are hashed from exactly the object generations that were listed. GCS itself cannot
 * run here (no network, no emulator), so the stand-in is google-cloud-nio's in-process fake {@link
 * Storage}, wrapped in {@link GenerationStorage} to give it GCS's generations: each write is a new
 * generation, and reading a generation that is no longer current answers 404.
 */
class GcsModelReadTest {
  static final String ROOT = "gs://models/llama";
  @TempDir Path tmp;
  Storage storage;
  byte[] weights;
  final List<Long> sleeps = new ArrayList<>();

  @BeforeEach
  void model() {
    storage = GenerationStorage.over(LocalStorageHelper.getOptions().getService());
    FakeGcs.install(storage);
    weights = new byte[10_000];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (byte) (i * 31 + 7);
    }
    put("llama/weights.bin", weights);
    put("llama/config.json", text("{\"layers\": 2}"));
    put("llama/sub/", new byte[0]); // a directory placeholder, not a model file
    put("llama2/other.bin", text("a sibling model sharing the name prefix"));
  }

  @AfterEach
  void restore() {
    FakeGcs.remove();
  }

  // ---- listing ----

  @Test
  void listingRecordsTheCurrentGenerationOfEachObject() {
    long before = generation("llama/config.json");
    Map<String, Long> generations = GcsGenerations.of(storage, ROOT, beamListing());
    assertEquals(
        Map.of("weights.bin", generation("llama/weights.bin"), "config.json", before), generations);
    put("llama/config.json", text("{\"layers\": 3}"));
    assertNotEquals(before, GcsGenerations.of(storage, ROOT, beamListing()).get("config.json"));
  }

  @Test
  void listedFilesCarryTheGenerationOnGcsOnly() {
    ListingPolicy ignoreConfig =
        new ListingPolicy(IgnorePaths.exactly(List.of("config.json")), false);
    List<Long> mtimes = List.of(111L, 222L);
    assertEquals(
        List.of(new ListedFile("weights.bin", 10_000, 111, generation("llama/weights.bin"))),
        ModelLister.objectFiles(
            ModelLocation.of(ROOT), ignoreConfig.select(beamListing()), beamListing(), mtimes));
    assertEquals(
        List.of(new ListedFile("weights.bin", 10_000, 111, 0)),
        ModelLister.objectFiles(
            ModelLocation.of("s3://models/llama"),
            ignoreConfig.select(beamListing()),
            beamListing(),
            mtimes));
  }

  @Test
  void singleObjectModelRecordsItsGeneration() {
    assertEquals(
        Map.of(".", generation("llama/weights.bin")),
        GcsGenerations.of(
            storage, ROOT + "/weights.bin", List.of(ListedEntry.file(".", weights.length))));
  }

  @Test
  void listingsThatDisagreeNameTheObject() {
    // Beam saw only weights.bin: config.json appeared between the two listings.
    var appeared =
        assertThrows(
            ModelSigningException.class,
            () ->
                GcsGenerations.of(storage, ROOT, List.of(ListedEntry.file("weights.bin", 10_000))));
    assertTrue(
        appeared.getMessage().contains("'gs://models/llama/config.json' changed while it was"),
        appeared.getMessage());

    List<ListedEntry> withGone = new ArrayList<>(beamListing());
    withGone.add(ListedEntry.file("gone.bin", 5));
    var disappeared =
        assertThrows(ModelSigningException.class, () -> GcsGenerations.of(storage, ROOT, withGone));
    assertTrue(
        disappeared.getMessage().contains("'gs://models/llama/gone.bin' changed while it was"),
        disappeared.getMessage());

    var resized =
        assertThrows(
            ModelSigningException.class,
            () ->
                GcsGenerations.of(
                    storage,
                    ROOT,
                    List.of(
                        ListedEntry.file("weights.bin", 9_999),
                        ListedEntry.file("config.json", 13))));
    assertTrue(
        resized.getMessage().contains("'gs://models/llama/weights.bin' changed while it was"),
        resized.getMessage());

    var singleGone =
        assertThrows(
            ModelSigningException.class,
            () ->
                GcsGenerations.of(storage, ROOT + "/nope.bin", List.of(ListedEntry.file(".", 1))));
    assertTrue(singleGone.getMessage().contains("nope.bin"), singleGone.getMessage());
  }

  // ---- hashing ----

  @Test
  void wholeObjectAndAMiddleShardHashLikeALocalCopy() throws Exception {
    Path local = Files.createDirectory(tmp.resolve("llama"));
    Files.write(local.resolve("weights.bin"), weights);
    ListedFile onGcs = listed("weights.bin");
    ListedFile onDisk =
        new ListedFile(
            "weights.bin",
            weights.length,
            Files.getLastModifiedTime(local.resolve("weights.bin")).toMillis(),
            0);
    for (WorkUnit unit :
        List.of(
            new WorkUnit("weights.bin", 0, weights.length, false),
            new WorkUnit("weights.bin", 3_000, 7_500, true))) {
      byte[] fromGcs = new UnitHasher(1024).hash(task(ModelLocation.of(ROOT), unit, onGcs));
      byte[] fromDisk =
          new UnitHasher(1024).hash(task(ModelLocation.of(local.toString()), unit, onDisk));
      assertArrayEquals(fromDisk, fromGcs, unit.resourceName());
      assertArrayEquals(
          HashAlgorithm.sha256()
              .digest(Arrays.copyOfRange(weights, (int) unit.start(), (int) unit.end())),
          fromGcs,
          unit.resourceName());
    }
  }

  @Test
  void objectOverwrittenWithSameSizeAfterListingFailsNamingIt() {
    ListedFile listed = listed("weights.bin");
    byte[] same = weights.clone();
    same[5_000] ^= 1;
    put("llama/weights.bin", same);
    var e =
        assertThrows(ModelSigningException.class, () -> hashWhole(new UnitHasher(1024), listed));
    assertTrue(
        e.getMessage().contains("'weights.bin' was replaced after it was listed"), e.getMessage());
  }

  @Test
  void objectDeletedAfterListingFailsNamingIt() {
    ListedFile listed = listed("weights.bin");
    storage.delete(BlobId.of("models", "llama/weights.bin"));
    var e =
        assertThrows(ModelSigningException.class, () -> hashWhole(new UnitHasher(1024), listed));
    assertTrue(e.getMessage().contains("'weights.bin' disappeared"), e.getMessage());
  }

  @Test
  void overwriteBetweenTheCheckAndTheReadFailsOnThePinnedReadWithoutRetrying() {
    ListedFile listed = listed("weights.bin");
    AtomicInteger opens = new AtomicInteger();
    UnitHasher hasher =
        new UnitHasher(
            1024,
            t -> {
              opens.incrementAndGet();
              byte[] same = weights.clone();
              same[0] ^= 1;
              put("llama/weights.bin", same); // same size: only the generation tells
              return pinnedOpen(t);
            },
            new RetryingReads(4, 100, 400, sleeps::add));
    var e = assertThrows(ModelSigningException.class, () -> hashWhole(hasher, listed));
    assertTrue(
        e.getMessage().contains("'weights.bin' was replaced or deleted after it was listed"),
        e.getMessage());
    assertEquals(1, opens.get(), "a gone generation is a verdict, not retried");
    assertEquals(List.of(), sleeps);
  }

  @Test
  void deleteBetweenTheCheckAndTheReadFailsOnThePinnedRead() {
    ListedFile listed = listed("weights.bin");
    UnitHasher hasher =
        new UnitHasher(
            1024,
            t -> {
              storage.delete(BlobId.of("models", "llama/weights.bin"));
              return pinnedOpen(t);
            },
            new RetryingReads(4, 100, 400, sleeps::add));
    var e = assertThrows(ModelSigningException.class, () -> hashWhole(hasher, listed));
    assertTrue(
        e.getMessage().contains("'weights.bin' was replaced or deleted after it was listed"),
        e.getMessage());
  }

  @Test
  void rewriteOfIdenticalBytesWhileHashingIsCaughtByTheGenerationRecheck() {
    // Same bytes, same size: only the generation differs, and the check after hashing sees it.
    ListedFile listed = listed("weights.bin");
    UnitHasher hasher =
        new UnitHasher(
            1024,
            t -> rewritingOnClose(pinnedOpen(t)),
            new RetryingReads(4, 100, 400, sleeps::add));
    var e = assertThrows(ModelSigningException.class, () -> hashWhole(hasher, listed));
    assertTrue(
        e.getMessage().contains("'weights.bin' was replaced while it was being hashed"),
        e.getMessage());
  }

  @Test
  void transientStorageErrorOnAPinnedReadIsRetriedFromScratch() throws Exception {
    ListedFile listed = listed("weights.bin");
    AtomicInteger failures = new AtomicInteger(2);
    Storage failing = failingReads(storage, failures);
    UnitHasher hasher =
        new UnitHasher(
            1024, t -> pinnedOpen(failing, t), new RetryingReads(4, 100, 400, sleeps::add));
    assertArrayEquals(HashAlgorithm.sha256().digest(weights), hashWhole(hasher, listed));
    assertEquals(List.of(100L, 200L), sleeps, "two 503s, two backoffs, then a clean read");
  }

  // ---- helpers ----

  /** Storage whose readers fail their first read with a 503 while {@code failures} lasts. */
  private static Storage failingReads(Storage storage, AtomicInteger failures) {
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              Object result = invoke(method, storage, args);
              if (!method.getName().equals("reader")) {
                return result;
              }
              ReadChannel reader = (ReadChannel) result;
              return Proxy.newProxyInstance(
                  ReadChannel.class.getClassLoader(),
                  new Class<?>[] {ReadChannel.class},
                  (p, m, a) -> {
                    if (m.getName().equals("read") && failures.getAndDecrement() > 0) {
                      throw new StorageException(503, "Service Unavailable");
                    }
                    Object r = invoke(m, reader, a);
                    return m.getName().equals("limit") && a != null && a.length == 1 ? p : r;
                  });
            });
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private ReadableByteChannel pinnedOpen(UnitTask t) throws IOException {
    return pinnedOpen(storage, t);
  }

  private static ReadableByteChannel pinnedOpen(Storage storage, UnitTask t) throws IOException {
    return GcsObjectReader.open(
        storage,
        t.location().child(t.unit().path()),
        t.listed().generation(),
        t.unit().start(),
        t.unit().length());
  }

  private ReadableByteChannel rewritingOnClose(ReadableByteChannel in) {
    return new ReadableByteChannel() {
      @Override
      public int read(ByteBuffer dst) throws IOException {
        return in.read(dst);
      }

      @Override
      public boolean isOpen() {
        return in.isOpen();
      }

      @Override
      public void close() throws IOException {
        in.close();
        put("llama/weights.bin", weights.clone());
      }
    };
  }

  private byte[] hashWhole(UnitHasher hasher, ListedFile listed) throws IOException {
    return hasher.hash(
        task(ModelLocation.of(ROOT), new WorkUnit(listed.path(), 0, listed.size(), false), listed));
  }

  private static UnitTask task(ModelLocation location, WorkUnit unit, ListedFile listed) {
    return new UnitTask(location, HashAlgorithm.SHA256, unit, listed);
  }

  /** The file as ModelLister records it: Beam's size and update time, plus the generation. */
  private ListedFile listed(String path) {
    Blob blob = storage.get(BlobId.of("models", "llama/" + path));
    long generation = GcsGenerations.of(storage, ROOT, beamListing()).get(path);
    return new ListedFile(
        path,
        blob.getSize(),
        blob.getUpdateTimeOffsetDateTime().toInstant().toEpochMilli(),
        generation);
  }

  /** What Beam's {@code FileSystems.match("gs://models/llama/**")} lists for the model. */
  private List<ListedEntry> beamListing() {
    return List.of(
        ListedEntry.file(
            "weights.bin", storage.get(BlobId.of("models", "llama/weights.bin")).getSize()),
        ListedEntry.file(
            "config.json", storage.get(BlobId.of("models", "llama/config.json")).getSize()));
  }

  private long generation(String name) {
    return storage.get(BlobId.of("models", name)).getGeneration();
  }

  private void put(String name, byte[] bytes) {
    storage.create(BlobInfo.newBuilder("models", name).build(), bytes);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
