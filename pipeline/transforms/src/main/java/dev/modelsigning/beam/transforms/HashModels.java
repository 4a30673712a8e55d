package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.HashBatch;
import dev.modelsigning.beam.values.HashedBatch;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.core.hashing.RangeHasher;
import dev.modelsigning.core.manifest.UnitBatcher;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
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
  /** Buckets for the duplicate-request check: a handful of keys whatever the number of models. */
  private static final int KEY_BUCKETS = 64;

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
    // Only the keys are grouped, into a few buckets (not one key per request: runners pay per key).
    PCollectionView<List<String>> repeatedKeys =
        requests
            .apply(
                "JoinKeys",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.strings()))
                    .via(
                        (ModelRequest r) ->
                            KV.of(Math.floorMod(r.joinKey().hashCode(), KEY_BUCKETS), r.joinKey())))
            .apply("GroupJoinKeys", GroupByKey.create())
            .apply(
                "RepeatedKeys",
                FlatMapElements.into(TypeDescriptors.strings())
                    .via((KV<Integer, Iterable<String>> kv) -> repeated(kv.getValue())))
            .apply("RepeatedKeysView", View.asList());
    PCollection<ModelSnapshot> snapshots =
        requests
            .apply(
                "RequireDistinct",
                ParDo.of(new RequireDistinctFn(repeatedKeys)).withSideInputs(repeatedKeys))
            .apply("ListModel", ParDo.of(new ListModelFn(failFast)));
    PCollectionTuple planned =
        snapshots.apply(
            "PlanBatches",
            ParDo.of(new PlanBatchesFn(localBatcher, objectStoreBatcher, failFast, bufferSize))
                .withOutputTags(
                    PlanBatchesFn.BATCHES,
                    TupleTagList.of(PlanBatchesFn.SPLIT).and(PlanBatchesFn.HASHED)));
    PCollection<KV<String, HashedBatch>> results =
        planned
            .get(PlanBatchesFn.BATCHES)
            // Without this the runner fuses planning and hashing, and all batches of a model run
            // on the one worker that listed it. Batches are few (they grow with bytes), so a
            // random key each spreads them over every worker.
            .apply("SpreadBatches", Reshuffle.<KV<String, HashBatch>>viaRandomKey())
            .apply("HashBatches", ParDo.of(new HashBatchFn(failFast, bufferSize)));
    TupleTag<ModelSnapshot> snapshotTag = new TupleTag<>();
    TupleTag<HashedBatch> resultTag = new TupleTag<>();
    PCollection<HashedModel> joined =
        KeyedPCollectionTuple.of(snapshotTag, planned.get(PlanBatchesFn.SPLIT))
            .and(resultTag, results)
            .apply("JoinDigests", CoGroupByKey.create())
            .apply("AssembleManifest", ParDo.of(new AssembleManifestFn(snapshotTag, resultTag)));
    return PCollectionList.of(planned.get(PlanBatchesFn.HASHED))
        .and(joined)
        .apply("AllModels", Flatten.pCollections());
  }

  /** The strings that occur more than once. */
  static List<String> repeated(Iterable<String> keys) {
    Set<String> seen = new HashSet<>();
    Set<String> twice = new TreeSet<>();
    for (String k : keys) {
      if (!seen.add(k)) {
        twice.add(k);
      }
    }
    return List.copyOf(twice);
  }
}
