package dev.modelsigning.core.manifest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups a model's units into batches of about the same cost, so the number of batches (elements,
 * tasks) grows with the bytes to hash, not with the number of files or shards, and no worker waits
 * while another hashes most of the model.
 *
 * <p>A unit's cost is its length plus a fixed charge for each file opened (a storage round trip)
 * and for each unit (a digest started and finished). Units are taken in file order; a file's units
 * stay together in one run until the run alone would exceed the target, so a huge file is split
 * into runs of about the target size, one per worker, while small files are packed together. Two
 * consecutive batches together exceed the target unless the unit cap closed the first (next-fit
 * packing), so a model of cost C and U units makes at most {@code 2 * C / target + U / maxUnits +
 * 1} batches ({@link #maxBatches}). Batches come back largest first: a work queue that starts the
 * longest tasks first finishes soonest.
 *
 * @param targetCost about how much work one batch holds
 * @param costPerFile the charge for opening a file (its latency, in bytes of hashing)
 * @param costPerUnit the charge for each unit (digest set-up)
 * @param maxUnits a cap on units per batch, which bounds a batch's result size
 */
public record UnitBatcher(long targetCost, long costPerFile, long costPerUnit, int maxUnits)
    implements Serializable {

  /**
   * For local disks: 64 MiB batches; opening a file costs about what hashing 64 KiB does, a unit
   * about 256 bytes.
   */
  public static UnitBatcher forLocalFiles() {
    return new UnitBatcher(64L << 20, 64L << 10, 256, 65_536);
  }

  /**
   * For object stores: 256 MiB batches; a ranged GET's latency costs about what hashing 8 MiB does,
   * so many small objects still spread over workers.
   */
  public static UnitBatcher forObjectStores() {
    return new UnitBatcher(256L << 20, 8L << 20, 256, 65_536);
  }

  public UnitBatcher {
    if (targetCost <= 0 || costPerFile < 0 || costPerUnit < 0 || maxUnits <= 0) {
      throw new IllegalArgumentException("batch target and cap must be positive, charges >= 0");
    }
  }

  /** The largest number of batches {@link #batch} makes for these units. */
  public long maxBatches(List<WorkUnit> units) {
    return 2 * cost(units) / targetCost + units.size() / maxUnits + 1;
  }

  /** The cost of hashing these units (what {@link #maxBatches} is computed from). */
  public long cost(List<WorkUnit> units) {
    long cost = 0;
    String file = null;
    for (WorkUnit u : units) {
      if (!u.path().equals(file)) {
        cost += costPerFile;
        file = u.path();
      }
      cost += u.length() + costPerUnit;
    }
    return cost;
  }

  /**
   * @param units a model's units in resource order (as {@link WorkPlanner#plan} makes them)
   */
  public List<UnitBatch> batch(List<WorkUnit> units) {
    List<UnitBatch> batches = new ArrayList<>();
    Packer packer = new Packer(batches);
    int i = 0;
    while (i < units.size()) {
      String path = units.get(i).path();
      int j = i;
      while (j < units.size() && units.get(j).path().equals(path)) {
        j++;
      }
      packer.addFile(units.subList(i, j));
      i = j;
    }
    packer.flush();
    batches.sort(Comparator.comparingLong(UnitBatch::cost).reversed());
    return batches;
  }

  /** Next-fit packing of runs into batches. */
  private final class Packer {
    private final List<UnitBatch> out;
    private final List<FileRun> runs = new ArrayList<>();
    private long cost;
    private int units;

    Packer(List<UnitBatch> out) {
      this.out = out;
    }

    /** One file's units: cut into runs that fit, each run charged one open. */
    void addFile(List<WorkUnit> fileUnits) {
      List<WorkUnit> run = new ArrayList<>();
      long runCost = costPerFile;
      for (WorkUnit u : fileUnits) {
        long unitCost = u.length() + costPerUnit;
        boolean full =
            !run.isEmpty()
                && (cost + runCost + unitCost > targetCost || units + run.size() >= maxUnits);
        if (full) {
          addRun(run, runCost);
          flush();
          run = new ArrayList<>();
          runCost = costPerFile;
        }
        run.add(u);
        runCost += unitCost;
      }
      if (!run.isEmpty()) {
        if (cost + runCost > targetCost && !runs.isEmpty()) {
          flush();
        }
        addRun(run, runCost);
      }
    }

    private void addRun(List<WorkUnit> run, long runCost) {
      runs.add(new FileRun(run.get(0).path(), run));
      cost += runCost;
      units += run.size();
      if (cost >= targetCost || units >= maxUnits) {
        flush();
      }
    }

    void flush() {
      if (!runs.isEmpty()) {
        out.add(new UnitBatch(runs, cost));
        runs.clear();
        cost = 0;
        units = 0;
      }
    }
  }
}
