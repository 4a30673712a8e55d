package dev.modelsigning.beam.values;

import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.manifest.WorkUnit;
import java.io.Serializable;

/**
 * One unit of hashing work as shipped to a worker: which model, which bytes, which hash, and the
 * listing facts to re-check. It carries no file bytes.
 */
public record UnitTask(
    ModelLocation location, HashAlgorithm algorithm, WorkUnit unit, ListedFile listed)
    implements Serializable {}
