package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.HashBatch;
import dev.modelsigning.beam.values.HashedBatch;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.core.hashing.RangeHasher;
import dev.modelsigning.core.manifest.UnitBatcher;
import java.util.List;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Recomputes the manifest of every requested model: list each model, cut its files into units and
 * the units into batches of about equal cost ({@link UnitBatcher}), spread the batches over all
 * workers (all models' batches together, so one huge model does not serialize the job), hash them
 * with ranged reads, and join the digests back per model.
 *
 * <p>Every request comes back as its own {@link HashedModel}, also when several name the same model
 * with other settings, ignore paths, signature locations or expected manifests. Two identical
 * requests (the same {@link ModelRequest#joinKey()}) fail the job before any model is listed, with
 * an {@link dev.modelsigning.core.InvalidInputException} naming the model ({@code model '<root>'
 * was requested twice with the same settings and signature location; request it once}).
 */
public class HashModels extends PTransform<PCollection<ModelRequest>, PCollection<HashedModel>> {
  private final boolean failFast;
  private final int bufferSize;
  private final UnitBatcher localBatcher;
  private final UnitBatcher objectStoreBatcher;

  private HashModels(
      boolean failFast, int bufferSize, UnitBatcher localBatcher, UnitBatcher objectStoreBatcher) {
    this.failFast = failFast;
    this.bufferSize = bufferSize;
    this.localBatcher = localBatcher;
    this.objectStoreBatcher = objectStoreBatcher;
  }

  /** Any unreadable file or listing error fails the job (signing). */
  public static HashModels failingFast() {
    return new HashModels(
        true,
        RangeHasher.DEFAULT_BUFFER_SIZE,
        UnitBatcher.forLocalFiles(),
        UnitBatcher.forObjectStores());
  }

  /** Errors are recorded per model and the job goes on (bulk verification). */
  public static HashModels collectingErrors() {
    return new HashModels(
        false,
        RangeHasher.DEFAULT_BUFFER_SIZE,
        UnitBatcher.forLocalFiles(),
        UnitBatcher.forObjectStores());
  }

  /** Batches of this target cost for every model, wherever it is stored. */
  public HashModels withBatchTarget(long bytes) {
    return new HashModels(
        failFast,
        bufferSize,
        withTarget(localBatcher, bytes),
        withTarget(objectStoreBatcher, bytes));
  }

  private static UnitBatcher withTarget(UnitBatcher b, long bytes) {
    return new UnitBatcher(bytes, b.costPerFile(), b.costPerUnit(), b.maxUnits());
  }

  @Override
  public PCollection<HashedModel> expand(PCollection<ModelRequest> requests) {
    // Identical requests would share one join key below: refuse them before anything is listed.
    // Only the keys are counted, so the requests (with their expected manifests) are not shuffled.
    PCollectionView<List<String>> repeatedKeys =
        requests
            .apply(
                "JoinKeys",
                MapElements.into(TypeDescriptors.strings()).via((ModelRequest r) -> r.joinKey()))
            .apply("CountRequests", Count.perElement())
            .apply("Repeated", Filter.by((KV<String, Long> kv) -> kv.getValue() > 1))
            .apply("RepeatedKeys", Keys.create())
            .apply("RepeatedKeysView", View.asList());
    PCollection<ModelSnapshot> snapshots =
        requests
            .apply(
                "RequireDistinct",
                ParDo.of(new RequireDistinctFn(repeatedKeys)).withSideInputs(repeatedKeys))
            .apply("ListModel", ParDo.of(new ListModelFn(failFast)));
    PCollection<KV<String, HashedBatch>> results =
        snapshots
            .apply("PlanBatches", ParDo.of(new PlanBatchesFn(localBatcher, objectStoreBatcher)))
            // Without this the runner fuses planning and hashing, and all batches of a model run
            // on the one worker that listed it. Batches are few (they grow with bytes), so a
            // random key each spreads them over every worker.
            .apply("SpreadBatches", Reshuffle.<KV<String, HashBatch>>viaRandomKey())
            .apply("HashBatches", ParDo.of(new HashBatchFn(failFast, bufferSize)));
    PCollection<KV<String, ModelSnapshot>> keyedSnapshots =
        snapshots.apply(
            "KeyByModel",
            WithKeys.<String, ModelSnapshot>of(ModelSnapshot::key)
                .withKeyType(TypeDescriptors.strings()));
    TupleTag<ModelSnapshot> snapshotTag = new TupleTag<>();
    TupleTag<HashedBatch> resultTag = new TupleTag<>();
    return KeyedPCollectionTuple.of(snapshotTag, keyedSnapshots)
        .and(resultTag, results)
        .apply("JoinDigests", CoGroupByKey.create())
        .apply("AssembleManifest", ParDo.of(new AssembleManifestFn(snapshotTag, resultTag)));
  }
}
