package dev.modelsigning.pipeline.transforms;

import dev.modelsigning.core.hashing.RangeHasher;
import dev.modelsigning.pipeline.io.HashedModel;
import dev.modelsigning.pipeline.io.ModelRequest;
import dev.modelsigning.pipeline.io.ModelSnapshot;
import dev.modelsigning.pipeline.io.UnitResult;
import dev.modelsigning.pipeline.io.UnitTask;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;
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

  /**
   * The DirectRunner turns every reshuffle key into its own bundle, and per-bundle overhead made
   * 2,000 one-unit bundles cost ~15 ms each; a few keys per thread keep all threads busy without
   * it. Distributed runners keep one random key per unit, so they can split work finely.
   */
  static Integer buckets(PipelineOptions options) {
    if (!options.getRunner().getSimpleName().equals("DirectRunner")) {
      return null;
    }
    return 4 * Math.max(1, options.as(DirectOptions.class).getTargetParallelism());
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
            .apply(
                "SpreadUnits",
                Reshuffle.<KV<String, UnitTask>>viaRandomKey()
                    .withNumBuckets(buckets(requests.getPipeline().getOptions())))
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
