package dev.modelsigning.core.manifest;

import dev.modelsigning.core.model.ResourceNames;
import java.io.Serializable;
import java.util.Comparator;

/**
 * One piece of hashing work: a whole file, or the bytes {@code [start, end)} of a file.
 *
 * @param path model-relative file path ({@code "."} for a single-file model)
 * @param start first byte, inclusive
 * @param end last byte, exclusive
 * @param shard whether the resource is named as a shard ({@code path:start:end})
 */
public record WorkUnit(String path, long start, long end, boolean shard) implements Serializable {
  /** Signing order: path components by code point, then start and end as integers. */
  public static final Comparator<WorkUnit> RESOURCE_ORDER =
      Comparator.comparing(WorkUnit::path, ResourceNames.PATH_ORDER)
          .thenComparingLong(WorkUnit::start)
          .thenComparingLong(WorkUnit::end);

  public WorkUnit {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad range " + start + ".." + end + " for " + path);
    }
  }

  public long length() {
    return end - start;
  }

  /** The resource name in the statement. */
  public String resourceName() {
    return shard ? path + ":" + start + ":" + end : path;
  }
}
