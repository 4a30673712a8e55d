package dev.modelsigning.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared interop data ({@code shared/interop}: real model_signing bundles, keys and OMS
 * v1.0 vectors). It lives outside the repository, beside the repo root; this walks up from {@code
 * user.dir} until a directory containing {@code shared/interop} is found. Override with {@code
 * -Dinterop.dir=/path/to/interop}.
 */
public final class InteropData {

  private InteropData() {}

  /** The interop directory, or {@code null} if there is none. */
  public static Path findRoot() {
    String configured = System.getProperty("interop.dir");
    if (configured != null && !configured.isBlank()) {
      Path p = Paths.get(configured).toAbsolutePath();
      return Files.isDirectory(p) ? p : null;
    }
    for (Path d = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        d != null;
        d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("interop");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The interop directory; skips the calling test (JUnit assumption) when it is absent. */
  public static Path root() {
    Path root = findRoot();
    Assumptions.assumeTrue(
        root != null,
        "shared/interop not found above " + System.getProperty("user.dir") + " (-Dinterop.dir)");
    return root;
  }

  /** A file or directory below the interop directory; skips the test if it is missing. */
  public static Path resolve(String relative) {
    Path p = root().resolve(relative);
    Assumptions.assumeTrue(Files.exists(p), "interop data missing: " + p);
    return p;
  }

  /** {@code sigstore-model-transparency/scripts/tests/<relative>}. */
  public static Path modelTransparencyTests(String relative) {
    return resolve("sigstore-model-transparency/scripts/tests/" + relative);
  }

  /** {@code ossf-model-signing-spec/test-vectors/v1.0/<relative>}. */
  public static Path omsVectors(String relative) {
    return resolve("ossf-model-signing-spec/test-vectors/v1.0/" + relative);
  }
}
