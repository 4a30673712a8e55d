package dev.modelsigning.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad models fail with errors that name the problem; ignore rules do what the contract says. */
class ModelInputTest {
  @TempDir Path tmp;

  private static final SerializationSettings FILES =
      SerializationSettings.files(HashAlgorithm.SHA256, false, List.of());

  private static ListingPolicy policy(boolean symlinks, String sig, String... ignores) {
    return new ListingPolicy(IgnorePaths.of(sig, List.of(ignores)), symlinks);
  }

  private static List<String> names(Manifest m) {
    return m.resources().stream().map(ResourceDigest::name).toList();
  }

  @Test
  void missingModelPath() {
    Path missing = tmp.resolve("no-such-model");
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> LocalModelHasher.hash(missing, FILES, policy(false, null)));
    assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void emptyModelDirectoryIsRefusedAtSigning() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty-model"));
    Files.createDirectories(empty.resolve("sub/dir")); // directories alone are not content
    Manifest m = LocalModelHasher.hash(empty, FILES, policy(false, null));
    assertEquals(List.of(), m.resources());
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> StatementWriter.write(m));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertTrue(e.getMessage().contains("empty-model"), e.getMessage());
  }

  @Test
  void modelOfOnlyIgnoredFilesIsEmptyToo() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("only-ignored"));
    Fixtures.write(m.resolve(".git/HEAD"), "ref");
    Fixtures.write(m.resolve("model.sig"), "{}");
    Manifest manifest = LocalModelHasher.hash(m, FILES, policy(false, "model.sig"));
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> StatementWriter.write(manifest));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void symlinkRefusedUnlessAllowed() throws Exception {
    Path external = Fixtures.write(tmp.resolve("outside"), "data");
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("real"), "r");
    Files.createSymbolicLink(m.resolve("sub-link"), external.toAbsolutePath());
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> LocalModelHasher.hash(m, FILES, policy(false, null)));
    assertTrue(e.getMessage().contains("'sub-link'"), e.getMessage());
    assertTrue(e.getMessage().contains("symlink"), e.getMessage());

    Manifest allowed = LocalModelHasher.hash(m, FILES, policy(true, null));
    assertEquals(List.of("real", "sub-link"), names(allowed));
    // Ignored symlinks are dropped before the symlink rule runs.
    assertEquals(
        List.of("real"), names(LocalModelHasher.hash(m, FILES, policy(false, null, "sub-link"))));
  }

  @Test
  void danglingSymlinkIsNamed() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("real"), "r");
    Files.createSymbolicLink(m.resolve("dangling"), tmp.resolve("nowhere"));
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> LocalModelHasher.hash(m, FILES, policy(true, null)));
    assertTrue(e.getMessage().contains("'dangling'"), e.getMessage());
  }

  @Test
  void directoryLoop() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("d/file"), "f");
    Files.createSymbolicLink(m.resolve("d/loop"), m.toAbsolutePath());
    Files.createSymbolicLink(m.resolve("d/rel-loop"), Path.of(".."));

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> LocalModelHasher.hash(m, FILES, policy(false, null)));
    assertTrue(
        e.getMessage().contains("'d/loop'") || e.getMessage().contains("'d/rel-loop'"),
        e.getMessage());

    Manifest allowed =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> LocalModelHasher.hash(m, FILES, policy(true, null)));
    assertEquals(List.of("d/file"), names(allowed)); // symlinked directories are not descended
  }

  @Test
  void fifoIsNotARegularFile() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("weights.bin"), "w");
    Path fifo = m.resolve("pipe");
    boolean made;
    try {
      Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
      made = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      made = false;
    }
    assumeTrue(made, "mkfifo is not available");
    InvalidInputException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                assertThrows(
                    InvalidInputException.class,
                    () -> LocalModelHasher.hash(m, FILES, policy(false, null))));
    assertTrue(e.getMessage().contains("'pipe'"), e.getMessage());
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());

    // A symlink to the FIFO, when symlinks are allowed, is refused too (never opened).
    Files.delete(fifo);
    new ProcessBuilder("mkfifo", tmp.resolve("outside-pipe").toString()).start().waitFor();
    Files.createSymbolicLink(m.resolve("pipe-link"), tmp.resolve("outside-pipe"));
    InvalidInputException e2 =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                assertThrows(
                    InvalidInputException.class,
                    () -> LocalModelHasher.hash(m, FILES, policy(true, null))));
    assertTrue(e2.getMessage().contains("'pipe-link'"), e2.getMessage());
    assertTrue(e2.getMessage().contains("not a regular file"), e2.getMessage());
  }

  @Test
  void ignorePathsAreComponentPrefixes() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    for (String f : List.of("a/b", "a/b/c", "a/bc", "a/b.txt", "ab", "x")) {
      if (!f.equals("a/b")) {
        Fixtures.write(m.resolve(f), f);
      }
    }
    Fixtures.write(m.resolve("a/b/d/e"), "e");
    assertEquals(
        List.of("a/b.txt", "a/bc", "ab", "x"),
        names(LocalModelHasher.hash(m, FILES, policy(false, null, "a/b"))));
    // Trailing slashes and "./" are normalised; the same set is ignored.
    assertEquals(
        List.of("a/b.txt", "a/bc", "ab", "x"),
        names(LocalModelHasher.hash(m, FILES, policy(false, null, "./a/b/"))));

    IgnorePaths ip = IgnorePaths.of(null, List.of("a/b"));
    assertTrue(ip.ignores("a/b"));
    assertTrue(ip.ignores("a/b/c"));
    assertFalse(ip.ignores("a/bc"));
    assertFalse(ip.ignores("a"));
    assertFalse(ip.ignores("x/a/b"));
  }

  @Test
  void defaultIgnoresApplyOnlyAtTopLevel() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve(".git/HEAD"), "h");
    Fixtures.write(m.resolve(".gitattributes"), "*.bin lfs");
    Fixtures.write(m.resolve(".github/workflows/ci.yml"), "on: push");
    Fixtures.write(m.resolve(".gitignore"), "*.tmp");
    Fixtures.write(m.resolve(".gitmodules"), "not a default ignore");
    Fixtures.write(m.resolve(".hidden"), "dotfiles are included");
    Fixtures.write(m.resolve("sub/.git/x"), "nested .git is content");
    Fixtures.write(m.resolve("sub/.gitignore"), "nested");
    Fixtures.write(m.resolve("model.sig"), "{}");
    Fixtures.write(m.resolve("sub/model.sig"), "nested signature name is content");
    assertEquals(
        List.of(".gitmodules", ".hidden", "sub/.git/x", "sub/.gitignore", "sub/model.sig"),
        names(LocalModelHasher.hash(m, FILES, policy(false, "model.sig"))));
    // Without the signature file being inside the model, model.sig is content.
    assertTrue(names(LocalModelHasher.hash(m, FILES, policy(false, null))).contains("model.sig"));
    assertEquals(
        List.of(".git", ".gitattributes", ".github", ".gitignore", "model.sig"),
        IgnorePaths.of("model.sig", List.of()).sorted());
  }

  @Test
  void ignorePathsOutsideTheModelAreRejected() {
    for (String bad : List.of("/abs", "../up", "a/../../b", ".", "")) {
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> IgnorePaths.of(null, List.of(bad)), bad);
      assertTrue(e.getMessage().contains("ignore path"), e.getMessage());
    }
  }

  /** A name the verifier would refuse is refused at signing, not turned into a dead signature. */
  @Test
  void namesVerifiersRefuseAreRefusedAtSigning() throws Exception {
    for (String bad : List.of("back\\slash", "new\nline", "tab\tname")) {
      Path m = Files.createDirectories(tmp.resolve("m" + Math.abs(bad.hashCode())));
      Fixtures.write(m.resolve("ok"), "ok");
      Fixtures.write(m.resolve(bad), "bad");
      for (SerializationSettings s :
          List.of(FILES, SerializationSettings.shards(HashAlgorithm.SHA256, 8, false, List.of()))) {
        Manifest manifest = LocalModelHasher.hash(m, s, policy(false, null));
        InvalidInputException e =
            assertThrows(InvalidInputException.class, () -> StatementWriter.write(manifest), bad);
        assertTrue(e.getMessage().contains(bad.substring(0, 3)), e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), e.getMessage());
      }
      if (bad.contains("\\")) {
        continue; // IgnorePaths reads '\\' as a separator, so such a file cannot be ignored
      }
      // Ignoring it makes the model signable.
      Manifest ignored = LocalModelHasher.hash(m, FILES, policy(false, null, bad));
      assertEquals(List.of("ok"), names(ignored));
      StatementWriter.write(ignored);
    }
  }

  @Test
  void modelOfOnlyEmptyFilesInShardsModeSaysWhy() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("zeros"));
    Fixtures.write(m.resolve("empty"), "");
    Manifest manifest =
        LocalModelHasher.hash(
            m,
            SerializationSettings.shards(HashAlgorithm.SHA256, 8, false, List.of()),
            policy(false, null));
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> StatementWriter.write(manifest));
    assertTrue(e.getMessage().contains("'zeros' is empty"), e.getMessage());
    assertTrue(e.getMessage().contains("empty files no shard"), e.getMessage());
    // The files method signs it: one resource, sha256("").
    StatementWriter.write(LocalModelHasher.hash(m, FILES, policy(false, null)));
  }
}
