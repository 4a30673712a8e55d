package dev.modelsigning.beam.values;

import java.io.Serializable;
import java.util.List;

/** A hashed {@link HashBatch}: each unit's digest, or why it could not be hashed. */
public record HashedBatch(List<UnitResult> results) implements Serializable {
  public HashedBatch {
    results = List.copyOf(results);
  }
}
