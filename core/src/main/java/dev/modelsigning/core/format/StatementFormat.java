package dev.modelsigning.core.format;

/** The layout of a signed statement. */
public enum StatementFormat {
  /**
   * Predicate {@link Statement#PREDICATE_TYPE} (model_signing v0.3 and later, OMS v1.0): one
   * subject, the manifest in {@code predicate.resources}, serialization settings recorded.
   */
  V1_0,
  /**
   * model_signing v0.2's deprecated predicate {@link Statement#LEGACY_PREDICATE_TYPE}: one subject
   * per file, no model name, no serialization settings (files, SHA-256, no symlinks are implied).
   * Verifiable (OMS v1.0 allows it), never written.
   */
  LEGACY_V0_2
}
