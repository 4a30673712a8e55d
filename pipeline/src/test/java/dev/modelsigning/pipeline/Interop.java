package dev.modelsigning.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds ../shared/interop beside the repository, wherever the build runs from. */
public final class Interop {
  private Interop() {}

  public static Path root() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared/interop");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/interop not found above " + dir);
  }

  public static Path scriptsTests() {
    return root().resolve("sigstore-model-transparency/scripts/tests");
  }
}
