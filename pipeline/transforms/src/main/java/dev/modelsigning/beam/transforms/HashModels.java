package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.HashBatch;
import dev.modelsigning.beam.values.HashedBatch;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.core.hashing.RangeHasher;
import dev.modelsigning.core.manifest.UnitBatcher;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Recomputes the manifest of every requested model: list each model, cut its files into units and
 * the units into batches of about equal cost ({@link UnitBatcher}), spread the batches over all
 * workers (all models' batches together, so one huge model does not serialize the job), hash them
 * with ranged reads, and join the digests back per model.
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
    PCollection<ModelSnapshot> snapshots =
        requests.apply("ListModel", ParDo.of(new ListModelFn(failFast)));
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
