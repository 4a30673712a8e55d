package dev.modelsigning.core.manifest;

import dev.modelsigning.core.model.ModelFile;
import java.util.ArrayList;
import java.util.List;

/** Cuts a model's files into hashing units in resource order. */
public final class WorkPlanner {
  private WorkPlanner() {}

  public static List<WorkUnit> plan(List<ModelFile> files, SerializationSettings settings) {
    List<WorkUnit> units = new ArrayList<>();
    for (ModelFile f : files) {
      units.addAll(unitsOf(f, settings));
    }
    return units;
  }

  /** A file's units: one for the files method; for shards, none when the file is empty. */
  public static List<WorkUnit> unitsOf(ModelFile file, SerializationSettings settings) {
    if (settings.method() == HashingMethod.FILES) {
      return List.of(new WorkUnit(file.path(), 0, file.size(), false));
    }
    List<WorkUnit> units = new ArrayList<>();
    long shard = settings.shardSize();
    for (long start = 0; start < file.size(); start += shard) {
      units.add(new WorkUnit(file.path(), start, Math.min(file.size(), start + shard), true));
    }
    return units;
  }
}
