package dev.modelsigning.core.manifest;

import java.io.Serializable;
import java.util.List;

/**
 * Consecutive units of one file, hashed with one sequential read from {@link #start()} to {@link
 * #end()}: a whole file, or a stretch of its shards. One open and one ranged read serve them all,
 * however small the shards.
 *
 * @param path the file, relative to the model root
 * @param units the units, in file order, each starting where the previous one ended
 */
public record FileRun(String path, List<WorkUnit> units) implements Serializable {
  public FileRun {
    units = List.copyOf(units);
    if (units.isEmpty()) {
      throw new IllegalArgumentException("a run of " + path + " needs at least one unit");
    }
    for (int i = 0; i < units.size(); i++) {
      WorkUnit u = units.get(i);
      if (!u.path().equals(path) || (i > 0 && u.start() != units.get(i - 1).end())) {
        throw new IllegalArgumentException("units of a run must be contiguous ranges of " + path);
      }
    }
  }

  public long start() {
    return units.get(0).start();
  }

  public long end() {
    return units.get(units.size() - 1).end();
  }

  public long length() {
    return end() - start();
  }

  /** Each unit's length, in order: what a sequential hasher needs. */
  public long[] lengths() {
    return units.stream().mapToLong(WorkUnit::length).toArray();
  }
}
