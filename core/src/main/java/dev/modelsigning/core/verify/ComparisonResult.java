package dev.modelsigning.core.verify;

import java.util.List;

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
}
