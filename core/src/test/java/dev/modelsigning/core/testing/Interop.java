package dev.modelsigning.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds the shared interop data ({@code shared/interop}) without copying it into the repo. */
public final class Interop {
  private Interop() {}

  private static Path root;

  /** Walks up from {@code user.dir} to the first directory that has {@code shared/interop}. */
  public static synchronized Path root() {
    if (root == null) {
      Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
      for (Path p = dir; p != null; p = p.getParent()) {
        Path candidate = p.resolve("shared").resolve("interop");
        if (Files.isDirectory(candidate)) {
          root = candidate;
          return root;
        }
      }
      throw new IllegalStateException("no shared/interop directory above " + dir);
    }
    return root;
  }

  public static Path modelTransparency() {
    return root().resolve("sigstore-model-transparency");
  }

  public static Path releaseTests() {
    return modelTransparency().resolve("scripts").resolve("tests");
  }

  public static Path goldenManifests(String kind) {
    return modelTransparency()
        .resolve("tests/_serialization/testdata")
        .resolve(kind)
        .resolve("TestSerializer");
  }

  public static Path goldenStatements() {
    return modelTransparency().resolve("tests/_signing/testdata/signing/TestPayload");
  }

  public static Path omsVectors() {
    return root().resolve("ossf-model-signing-spec/test-vectors/v1.0");
  }

  public static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
