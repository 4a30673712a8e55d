package dev.modelsigning.core.local;

/** Told how hashing advances, from any hashing thread (implementations must be thread-safe). */
public interface HashProgress {
  /** Hashing of this many bytes in all is about to start. */
  default void started(long totalBytes) {}

  /** This many more bytes were just hashed. */
  void hashed(long bytes);
}
