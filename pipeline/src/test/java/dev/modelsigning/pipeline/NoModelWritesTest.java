package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No code path writes to a model file. Two checks: every write-capable API in the main sources sits
 * in a class whose job is to write signatures, reports or results (a new one elsewhere fails here
 * and must be reviewed); and a sign + verify + overwrite cycle leaves every model file's bytes and
 * modification time as they were (tests run as root, so read-only permissions would prove nothing).
 */
class NoModelWritesTest {
  private static final Pattern WRITE_APIS =
      Pattern.compile(
          "StandardOpenOption\\.(WRITE|APPEND|CREATE)|FileOutputStream|Files\\.write|"
              + "Files\\.newOutputStream|Files\\.newBufferedWriter|FileSystems\\.create|"
              + "RandomAccessFile|TextIO\\.write|storage\\.create|Files\\.move|Files\\.createLink|"
              + "Files\\.copy|Files\\.delete|Files\\.createTempFile");

  /** Classes allowed to write, and what they write. */
  private static final Set<String> WRITERS =
      Set.of(
          "SignatureStore.java", // signature bundles, via temp file + rename/link
          "GcsSignatureStore.java", // signature bundles on gs://
          "JobResult.java", // the --resultFile summary
          "WriteReport.java", // registry report and summary under --output
          "ModelSigningCli.java"); // its own temporary result file

  @TempDir Path tmp;

  @Test
  void writeApisAppearOnlyInSignatureReportAndResultWriters() throws Exception {
    Set<String> offenders = new TreeSet<>();
    Set<String> writersSeen = new TreeSet<>();
    Path repo = SampleModels.sampleDir().getParent().getParent();
    for (String module : new String[] {"core", "pipeline"}) {
      try (Stream<Path> files = Files.walk(repo.resolve(module).resolve("src/main/java"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          if (WRITE_APIS.matcher(Files.readString(f)).find()) {
            if (WRITERS.contains(f.getFileName().toString())) {
              writersSeen.add(f.getFileName().toString());
            } else {
              offenders.add(repo.relativize(f).toString());
            }
          }
        }
      }
    }
    assertTrue(offenders.isEmpty(), "write-capable code outside the allowed writers: " + offenders);
    assertEquals(WRITERS, writersSeen, "the scan must see every known writer");
  }

  @Test
  void signVerifyAndOverwriteLeaveModelFilesUntouched() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    FileTime past = FileTime.fromMillis(1_700_000_000_000L);
    try (Stream<Path> files = Files.walk(model)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(f, past);
      }
    }
    Map<String, String> before = fingerprint(model);
    assertEquals(0, SampleModels.signWithDemoKey(model).exitCode());
    assertEquals(0, SampleModels.verifyWithDemoKey(model).exitCode());
    assertEquals(0, SampleModels.signWithDemoKey(model, "--overwrite=true").exitCode());
    Map<String, String> after = fingerprint(model);
    after.remove("model.sig");
    assertEquals(before, after);
  }

  private static Map<String, String> fingerprint(Path model) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(model)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
        out.put(
            model.relativize(f).toString(),
            HexFormat.of().formatHex(sha) + "@" + Files.getLastModifiedTime(f).toMillis());
      }
    }
    return out;
  }
}
