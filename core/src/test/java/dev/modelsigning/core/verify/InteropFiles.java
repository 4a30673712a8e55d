package dev.modelsigning.core.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared interop data (real model_signing bundles, keys, OMS vectors), found by walking up from
 * the working directory to the directory that contains {@code shared/interop}. Read in place, never
 * copied into the repository.
 */
public final class InteropFiles {
  private InteropFiles() {}

  public static Path root() {
    for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        p != null;
        p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("interop");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no shared/interop directory above " + System.getProperty("user.dir"));
  }

  public static Path scripts() {
    return root().resolve("sigstore-model-transparency/scripts/tests");
  }

  public static Path keys() {
    return scripts().resolve("keys/certificate");
  }

  public static Path omsVectors() {
    return root().resolve("ossf-model-signing-spec/test-vectors/v1.0");
  }

  public static byte[] bytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
