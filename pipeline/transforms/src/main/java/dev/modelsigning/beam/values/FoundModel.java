package dev.modelsigning.beam.values;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A model of a registry.
 *
 * @param root the model directory
 * @param signature its signature file, or null when unsigned
 * @param id the caller's identifier for it (a model list's {@code "id"}), carried to its report
 *     line untouched; null when none was given
 * @param policy the name of the policy-file rule that applies to it (a model list's {@code
 *     "policy"}) instead of the longest matching prefix; null for prefix matching
 */
public record FoundModel(
    String root, @Nullable String signature, @Nullable String id, @Nullable String policy)
    implements Serializable {

  /** A model found by scanning: no id, policy by prefix. */
  public FoundModel(String root, @Nullable String signature) {
    this(root, signature, null, null);
  }
}
