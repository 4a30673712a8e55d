package dev.modelsigning.beam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.modelsigning.beam.values.HashedBatch;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.beam.values.UnitResult;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.manifest.WorkUnit;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.Rule;
import org.junit.Test;

/**
 * "Every planned unit comes back exactly once": AssembleManifestFn, fed hand-made CoGroupByKey
 * inputs (one model's snapshot and its hashed batches), turns a lost, duplicated or unexpected unit
 * into an error that names it, and never into a manifest.
 *
 * <p>The model {@code /models/m} is listed with {@code a.bin} (20 bytes) and {@code b.bin} (8
 * bytes), sharded by 16: planned units {@code a.bin:0:16}, {@code a.bin:16:20}, {@code b.bin:0:8}.
 */
public class AssembleManifestFnTest {
  private static final String KEY = "/models/m";
  private static final WorkUnit A0 = new WorkUnit("a.bin", 0, 16, true);
  private static final WorkUnit A1 = new WorkUnit("a.bin", 16, 20, true);
  private static final WorkUnit B0 = new WorkUnit("b.bin", 0, 8, true);

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static ModelSnapshot snapshot() {
    SerializationSettings settings = TestModels.shards();
    ModelRequest request =
        ModelRequest.toSign(ModelLocation.of(KEY), settings, settings.ignorePaths(), null);
    return new ModelSnapshot(
        request,
        List.of(new ListedFile("a.bin", 20, 1000, 0), new ListedFile("b.bin", 8, 1000, 0)));
  }

  /** A made-up digest, different per unit. */
  private static byte[] digest(WorkUnit u) {
    byte[] d = new byte[32];
    Arrays.fill(d, (byte) (u.path().hashCode() + u.start()));
    return d;
  }

  private static HashedBatch batch(WorkUnit... units) {
    return new HashedBatch(Arrays.stream(units).map(u -> UnitResult.ok(u, digest(u))).toList());
  }

  /** Runs AssembleManifestFn over a CoGroupByKey of these snapshots and batches. */
  private PCollection<HashedModel> assemble(List<ModelSnapshot> snapshots, HashedBatch... batches) {
    TupleTag<ModelSnapshot> snapshotTag = new TupleTag<>();
    TupleTag<HashedBatch> resultTag = new TupleTag<>();
    PCollection<KV<String, ModelSnapshot>> keyedSnapshots =
        p.apply(
            "Snapshots",
            Create.of(snapshots.stream().map(s -> KV.of(s.key(), s)).toList())
                .withCoder(
                    KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(ModelSnapshot.class))));
    PCollection<KV<String, HashedBatch>> results =
        p.apply(
            "Batches",
            Create.of(Arrays.stream(batches).map(b -> KV.of(snapshot().key(), b)).toList())
                .withCoder(
                    KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(HashedBatch.class))));
    return KeyedPCollectionTuple.of(snapshotTag, keyedSnapshots)
        .and(resultTag, results)
        .apply(CoGroupByKey.create())
        .apply(ParDo.of(new AssembleManifestFn(snapshotTag, resultTag)));
  }

  /** Exactly one output, with no manifest and an error naming each of {@code names}. */
  private static void assertRefusedNaming(PCollection<HashedModel> out, String... names) {
    PAssert.thatSingleton(out)
        .satisfies(
            m -> {
              assertFalse(m.ok());
              assertNull("a manifest despite " + m.errors(), m.manifest());
              String errors = String.join("; ", m.errors());
              for (String name : names) {
                assertTrue(errors + " does not name " + name, errors.contains(name));
              }
              return null;
            });
  }

  @Test
  public void everyUnitOnceGivesTheManifestInResourceOrder() {
    // Batches in any order, units in any order within them.
    PCollection<HashedModel> out = assemble(List.of(snapshot()), batch(B0), batch(A1, A0));
    PAssert.thatSingleton(out)
        .satisfies(
            m -> {
              assertTrue(m.errors().toString(), m.ok());
              assertEquals("m", m.manifest().modelName());
              List<ResourceDigest> r = m.manifest().resources();
              assertEquals(
                  List.of("a.bin:0:16", "a.bin:16:20", "b.bin:0:8"),
                  r.stream().map(ResourceDigest::name).toList());
              assertTrue(Arrays.equals(digest(A0), r.get(0).digest()));
              assertTrue(Arrays.equals(digest(A1), r.get(1).digest()));
              assertTrue(Arrays.equals(digest(B0), r.get(2).digest()));
              return null;
            });
    p.run();
  }

  @Test
  public void aLostBatchGivesNoManifest() {
    // The batch holding a.bin's two shards never arrived.
    assertRefusedNaming(assemble(List.of(snapshot()), batch(B0)));
    p.run();
  }

  @Test
  public void noBatchAtAllGivesNoManifest() {
    assertRefusedNaming(assemble(List.of(snapshot())));
    p.run();
  }

  /**
   * A lost unit is refused, and the error names the unit (its resource name, here the shard {@code
   * a.bin:16:20}), not only how many went missing.
   */
  @Test
  public void aLostUnitIsNamed() {
    assertRefusedNaming(assemble(List.of(snapshot()), batch(A0, B0)), "a.bin:16:20");
    p.run();
  }

  @Test
  public void aLostUnitGivesNoManifest() {
    assertRefusedNaming(assemble(List.of(snapshot()), batch(A0, B0)));
    p.run();
  }

  @Test
  public void aDuplicatedUnitIsNamed() {
    // A retried batch delivered twice: every unit is there, one twice.
    assertRefusedNaming(
        assemble(List.of(snapshot()), batch(A0, A1), batch(B0), batch(A1)), "a.bin:16:20");
    p.run();
  }

  @Test
  public void aDuplicatedUnitWithTheSameDigestIsStillRefused() {
    assertRefusedNaming(assemble(List.of(snapshot()), batch(A0, A1, B0), batch(B0)), "b.bin:0:8");
    p.run();
  }

  @Test
  public void anUnexpectedUnitIsNamed() {
    // Every planned unit is there, plus one nobody planned.
    WorkUnit stray = new WorkUnit("c.bin", 0, 4, true);
    assertRefusedNaming(assemble(List.of(snapshot()), batch(A0, A1, B0), batch(stray)), "c.bin");
    p.run();
  }

  @Test
  public void aUnitOfTheWrongRangeIsUnexpected() {
    // a.bin cut at 8 instead of 16: same file, not a planned unit, and a.bin:0:16 is lost.
    WorkUnit wrong = new WorkUnit("a.bin", 0, 8, true);
    assertRefusedNaming(assemble(List.of(snapshot()), batch(wrong, A1, B0)), "a.bin:0:8");
    p.run();
  }

  @Test
  public void aFailedUnitsErrorIsKept() {
    HashedBatch failed =
        new HashedBatch(List.of(UnitResult.failed(A1, "cannot read 'a.bin': disk on fire")));
    assertRefusedNaming(
        assemble(List.of(snapshot()), batch(A0), failed, batch(B0)), "disk on fire");
    p.run();
  }

  @Test
  public void digestsForAnUnlistedModelFailTheJob() {
    assemble(List.of(), batch(A0, A1, B0));
    PipelineExecutionException e = assertThrows(PipelineExecutionException.class, p::run);
    assertNotNull(e.getCause());
    assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains(KEY));
  }
}
