package dev.modelsigning.beam.values;

import java.io.Serializable;
import java.util.List;

/**
 * One task of hashing work for one model: runs whose cost adds up to about the batching target (see
 * {@link dev.modelsigning.core.manifest.UnitBatcher}).
 */
public record HashBatch(List<RunTask> runs) implements Serializable {
  public HashBatch {
    runs = List.copyOf(runs);
  }

  public long bytes() {
    return runs.stream().mapToLong(r -> r.run().length()).sum();
  }

  public int units() {
    return runs.stream().mapToInt(r -> r.run().units().size()).sum();
  }
}
