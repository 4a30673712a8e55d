package dev.modelsigning.beam.values;

import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.jspecify.annotations.Nullable;

/**
 * Where a model lives: a local path or an object-store prefix ({@code gs://}, {@code s3://}),
 * normalized without a trailing slash so children are {@code root + "/" + relativePath}.
 */
public record ModelLocation(String root, boolean local) implements Serializable {

  public static ModelLocation of(String model) {
    String m = model.trim();
    if (m.isEmpty()) {
      throw new dev.modelsigning.core.InvalidInputException("--model must not be empty");
    }
    if (hasScheme(m) && !m.startsWith("file:")) {
      while (m.endsWith("/") && !m.endsWith("://")) {
        m = m.substring(0, m.length() - 1);
      }
      return new ModelLocation(m, false);
    }
    Path p = m.startsWith("file:") ? Paths.get(java.net.URI.create(m)) : Paths.get(m);
    return new ModelLocation(p.toAbsolutePath().normalize().toString(), true);
  }

  /** Whether the location names a scheme ({@code gs://}, {@code s3://}, {@code file://}). */
  public static boolean hasScheme(String s) {
    return s.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
  }

  /** The resource of a model-relative path ({@code "."} is the model itself). */
  public String child(String relativePath) {
    return relativePath.equals(".") ? root : root + "/" + relativePath;
  }

  /** The last path component: the statement's subject name. */
  public String name() {
    String r = root;
    int slash = r.lastIndexOf('/');
    String last = slash < 0 ? r : r.substring(slash + 1);
    return last.isEmpty() ? r : last;
  }

  /** Local models are read through {@link java.nio.file} to see symlinks and special files. */
  public Path localPath() {
    return Paths.get(root);
  }

  /** The parent prefix, where a single-file model's default signature goes. */
  public String parent() {
    int slash = root.lastIndexOf('/');
    return slash <= 0 ? root : root.substring(0, slash);
  }

  /** The signature's path relative to the model root when it lies inside the model, else null. */
  public @Nullable String relativize(String signature) {
    String prefix = root + "/";
    return signature.startsWith(prefix) ? signature.substring(prefix.length()) : null;
  }
}
