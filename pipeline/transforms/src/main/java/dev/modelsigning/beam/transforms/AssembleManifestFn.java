package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.HashedBatch;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.beam.values.UnitResult;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.WorkPlanner;
import dev.modelsigning.core.manifest.WorkUnit;
import dev.modelsigning.core.model.ModelFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Puts one model's unit digests back in resource order. Every planned unit must come back exactly
 * once: a lost or duplicated unit is an error, never a silently shorter manifest.
 */
class AssembleManifestFn extends DoFn<KV<String, CoGbkResult>, HashedModel> {
  private final TupleTag<ModelSnapshot> snapshotTag;
  private final TupleTag<HashedBatch> resultTag;

  AssembleManifestFn(TupleTag<ModelSnapshot> snapshotTag, TupleTag<HashedBatch> resultTag) {
    this.snapshotTag = snapshotTag;
    this.resultTag = resultTag;
  }

  @ProcessElement
  public void process(@Element KV<String, CoGbkResult> element, OutputReceiver<HashedModel> out) {
    Iterator<ModelSnapshot> snapshots = element.getValue().getAll(snapshotTag).iterator();
    if (!snapshots.hasNext()) {
      throw new IllegalStateException("digests for unlisted model " + element.getKey());
    }
    out.output(assemble(snapshots.next(), element.getValue().getAll(resultTag)));
  }

  /**
   * The model's manifest from its batches' digests, or the errors: the snapshot's own, failed
   * units, and any planned unit that is missing or came back twice.
   */
  static HashedModel assemble(ModelSnapshot snapshot, Iterable<HashedBatch> batches) {
    if (snapshot.error() != null) {
      return new HashedModel(snapshot, null, List.of(snapshot.error()));
    }
    Set<WorkUnit> planned = new HashSet<>();
    for (ListedFile f : snapshot.files()) {
      planned.addAll(
          WorkPlanner.unitsOf(new ModelFile(f.path(), f.size()), snapshot.request().settings()));
    }
    Map<WorkUnit, byte[]> digests = new HashMap<>();
    List<String> errors = new ArrayList<>();
    for (HashedBatch batch : batches) {
      for (UnitResult r : batch.results()) {
        if (r.error() != null) {
          if (!errors.contains(r.error())) {
            errors.add(r.error()); // one failed run reports once, not once per shard
          }
        } else if (!planned.contains(r.unit()) || digests.put(r.unit(), r.digest()) != null) {
          errors.add("unexpected or duplicate digest for '" + r.unit().resourceName() + "'");
        }
      }
    }
    if (errors.isEmpty() && digests.size() != planned.size()) {
      List<String> lost =
          planned.stream()
              .filter(u -> !digests.containsKey(u))
              .sorted(WorkUnit.RESOURCE_ORDER)
              .map(WorkUnit::resourceName)
              .toList();
      errors.add(
          lost.size()
              + " planned units were never hashed: "
              + String.join(", ", lost.subList(0, Math.min(lost.size(), 10)))
              + (lost.size() > 10 ? ", ..." : ""));
    }
    if (!errors.isEmpty()) {
      return new HashedModel(snapshot, null, errors);
    }
    Manifest manifest =
        Manifest.fromUnits(
            snapshot.request().location().name(), snapshot.request().settings(), digests);
    return new HashedModel(snapshot, manifest, List.of());
  }
}
