package dev.modelsigning.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * The shared interop data: real model_signing bundles from every release, their keys, golden
 * manifests and statements, and the OMS v1.0 test vectors. It lives beside the repository in {@code
 * ../shared/interop} (or wherever {@code -Dinterop.dir} points) and is read in place, never copied
 * into the repository.
 *
 * <p>Someone who clones the repository alone has no such directory: every test that needs it is
 * then skipped with one message saying so. Under CI ({@code CI=true}) the data is always provided,
 * so its absence fails those tests instead of letting CI skip them silently.
 */
public final class Interop {
  private Interop() {}

  /** Why interop tests did not run; printed in every skipped or failed test's report. */
  public static final String MISSING =
      "the interop data (real model_signing signatures, keys, goldens, OMS vectors) was not found:"
          + " it is ../shared/interop beside the repository (set -Dinterop.dir=PATH to point"
          + " elsewhere); CI provides it";

  private static Optional<Path> found;
  private static boolean told;

  /** Walks up from {@code user.dir} to the first directory that has {@code shared/interop}. */
  public static synchronized Optional<Path> find() {
    if (found == null) {
      found = locate();
    }
    return found;
  }

  private static Optional<Path> locate() {
    String configured = System.getProperty("interop.dir");
    if (configured != null && !configured.isEmpty()) {
      Path p = Paths.get(configured).toAbsolutePath();
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        p != null;
        p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("interop");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Whether the data is required: CI always has it, so missing data there is an error. */
  public static boolean required() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * The interop root. Without the data the calling test is aborted (reported as skipped) with
   * {@link #MISSING}, or, under CI, fails with it.
   */
  public static Path root() {
    Optional<Path> root = find();
    if (root.isPresent()) {
      return root.get();
    }
    if (required()) {
      throw new IllegalStateException("CI=true but " + MISSING);
    }
    tellOnce();
    throw new TestAbortedException(MISSING);
  }

  /** Surefire's summary shows only a count of skipped tests: say once, on the console, why. */
  private static synchronized void tellOnce() {
    if (!told) {
      told = true;
      System.err.println("[interop tests skipped] " + MISSING);
    }
  }

  public static Path modelTransparency() {
    return root().resolve("sigstore-model-transparency");
  }

  /** {@code scripts/tests}: one directory of real bundles per model_signing release. */
  public static Path releaseTests() {
    return modelTransparency().resolve("scripts").resolve("tests");
  }

  /** model_signing's test PKI (P-384 signing key and certificate, RSA intermediate and root). */
  public static Path certificateKeys() {
    return releaseTests().resolve("keys").resolve("certificate");
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
