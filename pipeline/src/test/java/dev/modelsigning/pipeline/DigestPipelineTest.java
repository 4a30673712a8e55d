package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.pipeline.cli.ModelSigningCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestPipelineTest {
  @TempDir Path tmp;

  private String[] runCli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new ModelSigningCli(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(args);
    return new String[] {
      String.valueOf(code),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  void digestOfInteropModelMatchesModelSigning() {
    Path model = Interop.scriptsTests().resolve("v1.1.0-elliptic-key");
    String[] r = runCli("digest", "--model=" + model, "--ignorePaths=ignore-me");
    assertEquals("0", r[0], r[2]);
    // model_signing digest v1.1.0-elliptic-key --ignore-paths .../ignore-me --ignore-paths
    // model.sig
    assertEquals(
        "sha256:92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4", r[1].trim());
  }

  @Test
  void missingModelIsAUsageError() {
    String[] r = runCli("digest", "--model=" + tmp.resolve("nope"));
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("does not exist"), r[2]);
    assertTrue(!r[2].contains("\tat "), "no stack trace: " + r[2]);
  }

  @Test
  void spaceSeparatedOptionIsExplained() {
    String[] r = runCli("digest", "--model", tmp.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--model=" + tmp), r[2]);
  }

  @Test
  void shardedDigestSplitsOneFileIntoRanges() throws Exception {
    Path model = Files.createDirectory(tmp.resolve("m"));
    Files.write(model.resolve("big.bin"), new byte[100]);
    String[] r = runCli("digest", "--model=" + model, "--method=shards", "--shardSize=30");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].startsWith("sha256:"), r[1]);
  }
}
