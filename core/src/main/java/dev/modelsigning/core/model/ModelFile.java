package dev.modelsigning.core.model;

/**
 * One regular file of a model, as found by a listing.
 *
 * @param path POSIX path relative to the model root; {@code "."} when the model is a single file
 * @param size size in bytes at listing time
 */
public record ModelFile(String path, long size) {
  public ModelFile {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("model file path must not be empty");
    }
    if (size < 0) {
      throw new IllegalArgumentException("negative size for " + path);
    }
  }
}
