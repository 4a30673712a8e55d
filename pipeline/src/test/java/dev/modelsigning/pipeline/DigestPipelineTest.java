package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestPipelineTest {
  @TempDir Path tmp;

  @Test
  void digestOfInteropModelMatchesModelSigning() {
    Path model = Interop.scriptsTests().resolve("v1.1.0-elliptic-key");
    Cli r = Cli.run("digest", "--model=" + model, "--ignorePaths=ignore-me");
    assertEquals(0, r.exitCode(), r.all());
    // model_signing digest v1.1.0-elliptic-key --ignore-paths .../ignore-me --ignore-paths
    // model.sig
    assertEquals(
        "sha256:92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4", r.out().trim());
  }

  @Test
  void missingModelIsAUsageError() {
    Cli r = Cli.run("digest", "--model=" + tmp.resolve("nope"));
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.err().contains("does not exist"), r.all());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.all());
  }

  @Test
  void spaceSeparatedOptionIsExplained() {
    Cli r = Cli.run("digest", "--model", tmp.toString());
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.err().contains("--model=" + tmp), r.all());
  }

  @Test
  void unknownCommandIsAUsageError() {
    Cli r = Cli.run("sing", "--model=" + tmp);
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.err().contains("unknown command 'sing'"), r.all());
  }

  @Test
  void shardedDigestDiffersFromFilesDigestAndIsStable() throws Exception {
    Path model = Files.createDirectory(tmp.resolve("m"));
    byte[] data = new byte[100];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    Files.write(model.resolve("big.bin"), data);
    Cli shards = Cli.run("digest", "--model=" + model, "--method=shards", "--shardSize=30");
    Cli again = Cli.run("digest", "--model=" + model, "--method=shards", "--shardSize=30");
    Cli files = Cli.run("digest", "--model=" + model);
    assertEquals(0, shards.exitCode(), shards.all());
    assertTrue(shards.out().startsWith("sha256:"), shards.all());
    assertEquals(shards.out(), again.out());
    assertFalse(shards.out().equals(files.out()), "4 shard digests must not equal 1 file digest");
  }
}
