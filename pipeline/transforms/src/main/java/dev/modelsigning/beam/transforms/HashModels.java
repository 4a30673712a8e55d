package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.beam.values.UnitResult;
import dev.modelsigning.beam.values.UnitTask;
import dev.modelsigning.core.hashing.RangeHasher;
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
 * Recomputes the manifest of every requested model: list each model, cut its files into units,
 * spread the units over all workers (all models' units together, so one huge model does not
 * serialize the job), hash them with ranged reads, and join the digests back per model.
 */
public class HashModels extends PTransform<PCollection<ModelRequest>, PCollection<HashedModel>> {
  private final boolean failFast;
  private final int bufferSize;

  private HashModels(boolean failFast, int bufferSize) {
    this.failFast = failFast;
    this.bufferSize = bufferSize;
  }

  /** Any unreadable file or listing error fails the job (signing). */
  public static HashModels failingFast() {
    return new HashModels(true, RangeHasher.DEFAULT_BUFFER_SIZE);
  }

  /** Errors are recorded per model and the job goes on (bulk verification). */
  public static HashModels collectingErrors() {
    return new HashModels(false, RangeHasher.DEFAULT_BUFFER_SIZE);
  }

  @Override
  public PCollection<HashedModel> expand(PCollection<ModelRequest> requests) {
    PCollection<ModelSnapshot> snapshots =
        requests.apply("ListModel", ParDo.of(new ListModelFn(failFast)));
    PCollection<KV<String, UnitResult>> results =
        snapshots
            .apply("PlanUnits", ParDo.of(new PlanUnitsFn()))
            // Without this the runner fuses planning and hashing, and all units of a model run on
            // the one worker that listed it.
            .apply("SpreadUnits", Reshuffle.<KV<String, UnitTask>>viaRandomKey())
            .apply("HashUnits", ParDo.of(new HashUnitFn(failFast, bufferSize)));
    PCollection<KV<String, ModelSnapshot>> keyedSnapshots =
        snapshots.apply(
            "KeyByModel",
            WithKeys.<String, ModelSnapshot>of(ModelSnapshot::key)
                .withKeyType(TypeDescriptors.strings()));
    TupleTag<ModelSnapshot> snapshotTag = new TupleTag<>();
    TupleTag<UnitResult> resultTag = new TupleTag<>();
    return KeyedPCollectionTuple.of(snapshotTag, keyedSnapshots)
        .and(resultTag, results)
        .apply("JoinDigests", CoGroupByKey.create())
        .apply("AssembleManifest", ParDo.of(new AssembleManifestFn(snapshotTag, resultTag)));
  }
}
