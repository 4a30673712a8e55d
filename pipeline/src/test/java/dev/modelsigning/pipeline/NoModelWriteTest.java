package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No code path opens a model file for writing. Three checks, because tests run as root (which
 * ignores permissions): a static scan of the main sources for write-capable calls, each allowed
 * only where it writes signatures, results, reports or temp files; every model file's bytes, size,
 * mtime, inode and mode compared before and after sign, verify (passing and failing) and digest on
 * a read-only model; and the same jobs on a model whose files are immutable ({@code chattr +i},
 * which binds root too), when the filesystem allows it.
 */
class NoModelWriteTest {
  @TempDir Path tmp;

  // ------------------------------------------------------------------ static scan

  private static final Pattern WRITE_CAPABLE =
      Pattern.compile(
          "StandardOpenOption\\.(WRITE|APPEND|CREATE_NEW|CREATE|TRUNCATE_EXISTING|DELETE_ON_CLOSE)\\b"
              + "|FileOutputStream|FileWriter|RandomAccessFile|\\.truncate\\("
              + "|(?<![A-Za-z0-9_])Files\\.(write|writeString|newOutputStream|newBufferedWriter|copy|move|delete"
              + "|deleteIfExists|createLink|createSymbolicLink|setLastModifiedTime"
              + "|setPosixFilePermissions|setAttribute|setOwner|createFile|createTempFile)\\b"
              + "|FileSystems\\.(create|copy|rename|delete)\\b"
              + "|TextIO\\.write|FileIO\\.write|AvroIO\\.write"
              // object-store clients used beside Beam's FileSystems, by the names this code gives
              // them: a GCS Storage is "storage", an AWS SDK S3Client "s3..."
              + "|\\bstorage\\.(create|createFrom|writer|delete|copy)\\("
              + "|\\bs3\\w*\\.(putObject|copyObject|deleteObject|deleteObjects|createMultipartUpload)\\(");

  /**
   * Every write-capable call in the main sources, by file, with why it cannot touch a model file. A
   * new one anywhere fails this test until it is reviewed and listed here.
   */
  private static final Map<String, List<String>> ALLOWED =
      Map.of(
          "core/src/main/java/dev/modelsigning/core/local/LocalSignatureFile.java",
          List.of(
              // temp file beside the signature: CREATE_NEW + WRITE, a fresh random name
              "StandardOpenOption.CREATE_NEW",
              "StandardOpenOption.WRITE",
              // publish the temp file as the signature (overwrite) / fallback without hard links
              "Files.move",
              "Files.move",
              // publish without overwrite: hard link, refused if the signature name exists
              "Files.createLink",
              // remove this call's own temp file
              "Files.deleteIfExists"),
          "pipeline/transforms/src/main/java/dev/modelsigning/beam/io/SignatureStore.java",
          List.of("FileSystems.create"), // object-store signature upload
          "pipeline/transforms/src/main/java/dev/modelsigning/beam/io/GcsSignatureStore.java",
          // the signature object only: create-if-absent or generation-matched replace
          List.of("storage.create(", "storage.create(", "storage.create("),
          "pipeline/transforms/src/main/java/dev/modelsigning/beam/io/S3SignatureStore.java",
          List.of("s3.putObject("), // the signature object only: conditional PUT
          "pipeline/transforms/src/main/java/dev/modelsigning/beam/io/ResultFiles.java",
          List.of("FileSystems.create"), // --resultFile and summary.json, never inside a model
          "pipeline/transforms/src/main/java/dev/modelsigning/beam/transforms/WriteReport.java",
          List.of("TextIO.write"), // verify-registry's JSONL report under --report
          "pipeline/src/main/java/dev/modelsigning/pipeline/cli/StartupTraining.java",
          // the launcher's training run: a throwaway model and key in a temp directory it
          // creates, then deletes; it never receives a user's path
          List.of(
              "Files.write",
              "Files.writeString",
              "Files.writeString",
              "Files.writeString",
              "Files.deleteIfExists"));

  static final List<String> SHIPPED_MODULES =
      List.of("core", "core/kms", "pipeline/transforms", "pipeline");

  @Test
  void writeCapableCallsAppearOnlyInAllowListedPlaces() throws IOException {
    Path repo = repoRoot();
    Map<String, List<String>> found = new TreeMap<>();
    // Every module whose classes ship (the benchmarks in pipeline/bench never do).
    for (String module : SHIPPED_MODULES) {
      try (Stream<Path> files = Files.walk(repo.resolve(module + "/src/main/java"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          String rel = repo.relativize(f).toString().replace('\\', '/');
          for (String line : Files.readAllLines(f)) {
            String code = line.strip();
            if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*")) {
              continue;
            }
            Matcher m = WRITE_CAPABLE.matcher(code);
            while (m.find()) {
              found.computeIfAbsent(rel, k -> new ArrayList<>()).add(m.group());
            }
          }
        }
      }
    }
    Map<String, List<String>> expected = new TreeMap<>();
    ALLOWED.forEach((k, v) -> expected.put(k, v.stream().sorted().toList()));
    Map<String, List<String>> actual = new TreeMap<>();
    found.forEach((k, v) -> actual.put(k, v.stream().sorted().toList()));
    assertEquals(
        expected,
        actual,
        "a write-capable call appeared or moved: review that it can never write a model file, then"
            + " update ALLOWED in NoModelWriteTest");
  }

  /** Model files are opened only with READ. */
  @Test
  void modelFilesAreOpenedReadOnly() throws IOException {
    Path repo = repoRoot();
    for (String f :
        List.of(
            "pipeline/transforms/src/main/java/dev/modelsigning/beam/io/UnitHasher.java",
            "core/src/main/java/dev/modelsigning/core/local/LocalModelHasher.java")) {
      String src = Files.readString(repo.resolve(f));
      Matcher m = Pattern.compile("FileChannel\\.open\\([^;]*").matcher(src);
      assertTrue(m.find(), f);
      do {
        String call = m.group();
        assertTrue(call.contains("StandardOpenOption.READ)"), f + ": " + call);
        assertTrue(
            !Pattern.compile("WRITE|APPEND|CREATE|TRUNCATE|DELETE|DSYNC|SYNC").matcher(call).find(),
            f + ": " + call);
      } while (m.find());
    }
  }

  private static Path repoRoot() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    return Files.isDirectory(here.resolve("core")) ? here : here.getParent();
  }

  // ------------------------------------------------------------------ runtime

  /** Bytes, size, mtime, inode and mode of every entry under the model, by relative path. */
  private static Map<String, String> fingerprint(Path model) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(model)) {
      for (Path p : s.sorted().toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        String content = "dir";
        if (a.isRegularFile()) {
          content =
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        }
        out.put(
            model.relativize(p).toString(),
            content
                + " size="
                + a.size()
                + " mtime="
                + a.lastModifiedTime().toMillis()
                + " inode="
                + a.fileKey()
                + " mode="
                + mode);
      }
    }
    return out;
  }

  private void runEveryJob(Path model, Path sig) throws Exception {
    Cli sign = SampleModels.signWithDemoKey(model, "--signature=" + sig);
    assertEquals(0, sign.exitCode(), sign.all());
    Cli verify = SampleModels.verifyWithDemoKey(model, "--signature=" + sig);
    assertEquals(0, verify.exitCode(), verify.all());
    Cli shards =
        SampleModels.signWithDemoKey(
            model, "--signature=" + sig, "--overwrite=true", "--method=shards", "--shardSize=1000");
    assertEquals(0, shards.exitCode(), shards.all());
    Cli wrongKey =
        Cli.run(
            "verify",
            "--model=" + model,
            "--signature=" + sig,
            "--verifier=key",
            "--publicKey=" + TestPems.newEcPublicKeyPem(tmp, "secp256r1"));
    assertEquals(1, wrongKey.exitCode(), wrongKey.all());
    assertEquals(0, Cli.run("digest", "--model=" + model).exitCode());
  }

  private static void chmodTree(Path model, String files, String dirs) throws IOException {
    try (Stream<Path> s = Files.walk(model)) {
      for (Path p : s.toList()) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? dirs : files));
      }
    }
  }

  @Test
  void signAndVerifyLeaveEveryModelFileUntouched() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Path sigDir = Files.createDirectory(tmp.resolve("sigs"));
    chmodTree(model, "r--r--r--", "r-xr-xr-x");
    try {
      Map<String, String> before = fingerprint(model);
      runEveryJob(model, sigDir.resolve("model.sig"));
      assertEquals(before, fingerprint(model));
    } finally {
      chmodTree(model, "rw-r--r--", "rwxr-xr-x");
    }
  }

  @Test
  void signatureInsideTheModelChangesNothingButItself() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Map<String, String> before = fingerprint(model);
    assertEquals(0, SampleModels.signWithDemoKey(model).exitCode());
    assertEquals(0, SampleModels.verifyWithDemoKey(model).exitCode());
    assertEquals(0, SampleModels.signWithDemoKey(model, "--overwrite=true").exitCode());
    Map<String, String> after = fingerprint(model);
    assertTrue(after.remove("model.sig") != null, "the signature was written inside the model");
    // The root directory itself changes (a new entry); every file and subdirectory must not.
    before.remove("");
    after.remove("");
    assertEquals(before, after);
  }

  @Test
  void signAndVerifyWorkOnImmutableModelFiles() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Path sigDir = Files.createDirectory(tmp.resolve("sigs"));
    List<String> files;
    try (Stream<Path> s = Files.walk(model)) {
      files = s.map(Path::toString).toList();
    }
    List<String> plus = new ArrayList<>(List.of("chattr", "+i"));
    plus.addAll(files);
    boolean immutable = run(plus);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        immutable, "chattr +i is not available on this filesystem or for this user");
    try {
      // Root cannot write an immutable file: prove the guard holds before relying on it.
      org.junit.jupiter.api.Assertions.assertThrows(
          IOException.class, () -> Files.writeString(model.resolve("config.json"), "x"));
      Map<String, String> before = fingerprint(model);
      runEveryJob(model, sigDir.resolve("model.sig"));
      assertEquals(before, fingerprint(model));
    } finally {
      List<String> minus = new ArrayList<>(List.of("chattr", "-i"));
      minus.addAll(files);
      assertTrue(run(minus), "could not clear the immutable flag");
    }
  }

  private static boolean run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
