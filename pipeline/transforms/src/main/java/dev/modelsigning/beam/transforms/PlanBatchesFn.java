package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.HashBatch;
import dev.modelsigning.beam.values.HashedBatch;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.beam.values.RunTask;
import dev.modelsigning.core.manifest.FileRun;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.manifest.UnitBatch;
import dev.modelsigning.core.manifest.UnitBatcher;
import dev.modelsigning.core.manifest.WorkPlanner;
import dev.modelsigning.core.model.ModelFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Cuts each listed model into units (whole files or shards) and groups them into batches of about
 * equal cost: the number of elements grows with the bytes to hash, not with the number of files or
 * shards. A model of one batch (most models in a registry) is hashed right here, where it was
 * listed, and comes out whole ({@link #HASHED}); shuffling its one batch away and joining its
 * digest back would only add two keyed steps per model. A larger model's batches go out keyed by
 * model ({@link #BATCHES}) to be spread over every worker, and its snapshot ({@link #SPLIT}) to
 * join the digests back. A model that could not be listed comes out as its error ({@link #HASHED}).
 */
class PlanBatchesFn extends DoFn<ModelSnapshot, KV<String, HashBatch>> {
  static final TupleTag<KV<String, HashBatch>> BATCHES = new TupleTag<>() {};
  static final TupleTag<KV<String, ModelSnapshot>> SPLIT = new TupleTag<>() {};
  static final TupleTag<HashedModel> HASHED = new TupleTag<>() {};

  private final UnitBatcher localBatcher;
  private final UnitBatcher objectStoreBatcher;
  private final BatchHasher hasher;
  private final Counter units = Metrics.counter("model-signing", "unitsPlanned");
  private final Counter batches = Metrics.counter("model-signing", "batchesPlanned");

  PlanBatchesFn(
      UnitBatcher localBatcher, UnitBatcher objectStoreBatcher, boolean failFast, int bufferSize) {
    this.localBatcher = localBatcher;
    this.objectStoreBatcher = objectStoreBatcher;
    this.hasher = new BatchHasher(failFast, bufferSize);
  }

  @Setup
  public void setup() {
    hasher.setup();
  }

  @ProcessElement
  public void process(@Element ModelSnapshot snapshot, MultiOutputReceiver out) {
    if (snapshot.error() != null) {
      out.get(HASHED).output(AssembleManifestFn.assemble(snapshot, List.of()));
      return;
    }
    List<HashBatch> planned = plan(snapshot);
    batches.inc(planned.size());
    if (planned.size() <= 1) {
      List<HashedBatch> hashed = planned.stream().map(hasher::hash).toList();
      out.get(HASHED).output(AssembleManifestFn.assemble(snapshot, hashed));
      return;
    }
    out.get(SPLIT).output(KV.of(snapshot.key(), snapshot));
    for (HashBatch b : planned) {
      out.get(BATCHES).output(KV.of(snapshot.key(), b));
    }
  }

  @FinishBundle
  public void finishBundle() {
    hasher.finishBundle();
  }

  private List<HashBatch> plan(ModelSnapshot snapshot) {
    SerializationSettings settings = snapshot.request().settings();
    Map<String, ListedFile> listed = new HashMap<>();
    List<ModelFile> files = new ArrayList<>(snapshot.files().size());
    for (ListedFile f : snapshot.files()) {
      listed.put(f.path(), f);
      files.add(new ModelFile(f.path(), f.size()));
    }
    var planned = WorkPlanner.plan(files, settings);
    units.inc(planned.size());
    UnitBatcher batcher = snapshot.request().location().local() ? localBatcher : objectStoreBatcher;
    List<HashBatch> out = new ArrayList<>();
    for (UnitBatch b : batcher.batch(planned)) {
      List<RunTask> runs = new ArrayList<>(b.runs().size());
      for (FileRun run : b.runs()) {
        runs.add(
            new RunTask(
                snapshot.request().location(),
                settings.hashAlgorithm(),
                run,
                Objects.requireNonNull(listed.get(run.path()), "a planned file was listed")));
      }
      out.add(new HashBatch(runs));
    }
    return out;
  }
}
