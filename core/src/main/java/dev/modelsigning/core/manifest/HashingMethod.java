package dev.modelsigning.core.manifest;

import dev.modelsigning.core.InvalidInputException;

/** How a model is cut into hashed resources. */
public enum HashingMethod {
  /** One resource per file. */
  FILES("files"),
  /** One resource per byte range of {@code shard_size} bytes. */
  SHARDS("shards");

  private final String label;

  HashingMethod(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static HashingMethod fromLabel(String label) {
    for (HashingMethod m : values()) {
      if (m.label.equals(label)) {
        return m;
      }
    }
    throw new InvalidInputException(
        "unsupported serialization method '" + label + "' (supported: files, shards)");
  }
}
