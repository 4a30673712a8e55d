package dev.modelsigning.beam.values;

import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.manifest.FileRun;
import java.io.Serializable;
import java.util.List;

/**
 * A run of consecutive units of one file as shipped to a worker: which model, which bytes, which
 * hash, and the listing facts to re-check. It carries no file bytes.
 */
public record RunTask(
    ModelLocation location, HashAlgorithm algorithm, FileRun run, ListedFile listed)
    implements Serializable {

  /** A run of just this unit. */
  public static RunTask of(UnitTask unit) {
    return new RunTask(
        unit.location(),
        unit.algorithm(),
        new FileRun(unit.unit().path(), List.of(unit.unit())),
        unit.listed());
  }
}
