package dev.modelsigning.core.model;

import dev.modelsigning.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Paths excluded from a model, relative to its root. A path is ignored when one of these is a
 * component prefix of it: {@code a/b} ignores {@code a/b} and {@code a/b/c} but not {@code a/bc}.
 */
public final class IgnorePaths {
  /** What model_signing always ignores, at the top level of the model only. */
  public static final List<String> DEFAULTS =
      List.of(".git", ".gitattributes", ".github", ".gitignore");

  private final Set<String> paths;

  private IgnorePaths(Set<String> paths) {
    this.paths = paths;
  }

  /**
   * The defaults, the signature file when it lies inside the model, and the user's paths.
   *
   * @param signatureInModel the signature's path relative to the model root, or null when the
   *     signature is stored elsewhere
   * @param userPaths paths relative to the model root
   */
  public static IgnorePaths of(@Nullable String signatureInModel, Collection<String> userPaths) {
    Set<String> all = new TreeSet<>(DEFAULTS);
    if (signatureInModel != null) {
      all.add(normalize(signatureInModel));
    }
    for (String p : userPaths) {
      all.add(normalize(p));
    }
    return new IgnorePaths(all);
  }

  /** Exactly the given paths, as recorded in a signed manifest. */
  public static IgnorePaths exactly(Collection<String> recorded) {
    Set<String> all = new TreeSet<>();
    for (String p : recorded) {
      all.add(normalize(p));
    }
    return new IgnorePaths(all);
  }

  public boolean ignores(String relativePath) {
    for (String p : paths) {
      if (relativePath.equals(p) || relativePath.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Sorted, as they are recorded in the statement's {@code ignore_paths}. */
  public List<String> sorted() {
    List<String> out = new ArrayList<>(paths);
    out.sort(ResourceNames::compareCodePoints);
    return out;
  }

  /** Relative POSIX form; rejects paths that leave the model root. */
  static String normalize(String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.endsWith("/") && p.length() > 1) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty() || p.equals(".") || p.startsWith("/")) {
      throw new InvalidInputException(
          "ignore path '" + path + "' must be a path inside the model, relative to its root");
    }
    for (String part : p.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new InvalidInputException(
            "ignore path '" + path + "' must be a plain relative path inside the model");
      }
    }
    return p;
  }
}
