package dev.modelsigning.core.verify;

/** What verification does with model files that the signature does not list. */
public enum UnsignedFiles {
  /** The default (OMS v1.0 8.5): an unsigned file fails verification, named. */
  REFUSE,
  /**
   * model_signing's {@code --ignore_unsigned_files} (OMS v1.0 8.5's option): files that no signed
   * resource names are neither hashed nor opened, and are reported; a signed file that is missing
   * or changed still fails. A file is unsigned when none of its resources (none of its shards) is
   * listed: an extra shard of a signed file means the file changed.
   */
  IGNORE
}
