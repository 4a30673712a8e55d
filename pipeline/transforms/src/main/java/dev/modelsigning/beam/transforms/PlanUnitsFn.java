package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.beam.values.UnitTask;
import dev.modelsigning.core.manifest.WorkPlanner;
import dev.modelsigning.core.manifest.WorkUnit;
import dev.modelsigning.core.model.ModelFile;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/** Cuts each listed file into hashing units (whole files or shards), keyed by model. */
class PlanUnitsFn extends DoFn<ModelSnapshot, KV<String, UnitTask>> {
  private final Counter planned = Metrics.counter("model", "unitsPlanned");

  @ProcessElement
  public void process(@Element ModelSnapshot snapshot, OutputReceiver<KV<String, UnitTask>> out) {
    if (snapshot.error() != null) {
      return;
    }
    var settings = snapshot.request().settings();
    for (ListedFile f : snapshot.files()) {
      for (WorkUnit unit : WorkPlanner.unitsOf(new ModelFile(f.path(), f.size()), settings)) {
        planned.inc();
        out.output(
            KV.of(
                snapshot.key(),
                new UnitTask(snapshot.request().location(), settings.hashAlgorithm(), unit, f)));
      }
    }
  }
}
