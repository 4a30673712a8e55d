package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.HashBatch;
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

/**
 * Cuts each listed model into units (whole files or shards) and groups them into batches of about
 * equal cost, keyed by model: the number of elements grows with the bytes to hash, not with the
 * number of files or shards.
 */
class PlanBatchesFn extends DoFn<ModelSnapshot, KV<String, HashBatch>> {
  private final UnitBatcher localBatcher;
  private final UnitBatcher objectStoreBatcher;
  private final Counter units = Metrics.counter("model-signing", "unitsPlanned");
  private final Counter batches = Metrics.counter("model-signing", "batchesPlanned");

  PlanBatchesFn(UnitBatcher localBatcher, UnitBatcher objectStoreBatcher) {
    this.localBatcher = localBatcher;
    this.objectStoreBatcher = objectStoreBatcher;
  }

  @ProcessElement
  public void process(@Element ModelSnapshot snapshot, OutputReceiver<KV<String, HashBatch>> out) {
    if (snapshot.error() != null) {
      return;
    }
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
      batches.inc();
      out.output(KV.of(snapshot.key(), new HashBatch(runs)));
    }
  }
}
