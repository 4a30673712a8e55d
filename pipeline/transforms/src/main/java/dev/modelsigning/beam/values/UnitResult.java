package dev.modelsigning.beam.values;

import dev.modelsigning.core.manifest.WorkUnit;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A hashed unit: its digest, or why it could not be hashed. */
public record UnitResult(WorkUnit unit, byte @Nullable [] digest, @Nullable String error)
    implements Serializable {
  public static UnitResult ok(WorkUnit unit, byte[] digest) {
    return new UnitResult(unit, digest, null);
  }

  public static UnitResult failed(WorkUnit unit, String error) {
    return new UnitResult(unit, null, error);
  }

  // Value equality on the digest bytes: runners compare encoded elements structurally.
  @Override
  public boolean equals(Object o) {
    return o instanceof UnitResult r
        && unit.equals(r.unit)
        && Arrays.equals(digest, r.digest)
        && Objects.equals(error, r.error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(unit, Arrays.hashCode(digest), error);
  }
}
