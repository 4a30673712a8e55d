package dev.modelsigning.core.verify;

import dev.modelsigning.core.model.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A signed manifest matched a model.
 *
 * @param ignoredUnsignedFiles model files no signed resource names, tolerated because verification
 *     ran with {@link UnsignedFiles#IGNORE} (always empty with {@link UnsignedFiles#REFUSE}), in
 *     path order
 */
public record ComparisonResult(List<String> ignoredUnsignedFiles) {
  public ComparisonResult {
    ignoredUnsignedFiles = List.copyOf(ignoredUnsignedFiles);
  }

  /**
   * The same result, adding the unsigned files that were set aside unopened while listing (see
   * {@link VerificationPlan#select}), in path order.
   */
  public ComparisonResult withSetAside(List<String> setAside) {
    if (setAside.isEmpty()) {
      return this;
    }
    TreeSet<String> all = new TreeSet<>(ResourceNames.PATH_ORDER);
    all.addAll(ignoredUnsignedFiles);
    all.addAll(setAside);
    return new ComparisonResult(new ArrayList<>(all));
  }
}
