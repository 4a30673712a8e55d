package dev.modelsigning.core.manifest;

import java.io.Serializable;
import java.util.List;

/**
 * The work one worker (or one thread) takes at a time: runs of units whose cost adds up to about
 * the batching target. Small files travel together; a big file's run travels alone.
 *
 * @param runs the runs, each of one file
 * @param cost the estimated cost (bytes, plus a charge per file opened and per unit)
 */
public record UnitBatch(List<FileRun> runs, long cost) implements Serializable {
  public UnitBatch {
    runs = List.copyOf(runs);
  }

  public long bytes() {
    return runs.stream().mapToLong(FileRun::length).sum();
  }

  public int units() {
    return runs.stream().mapToInt(r -> r.units().size()).sum();
  }
}
