package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.testing.Interop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestPipelineTest {
  @TempDir Path tmp;

  @Test
  void digestOfInteropModelMatchesModelSigning() {
    Path model = Interop.releaseTests().resolve("v1.1.0-elliptic-key");
    // model_signing digest v1.1.0-elliptic-key --ignore-paths .../ignore-me --ignore-paths
    // .../model.sig, in both spellings and on both engines
    for (String[] args :
        List.of(
            new String[] {"digest", "--model=" + model, "--ignorePaths=ignore-me,model.sig"},
            new String[] {
              "digest",
              model.toString(),
              "--ignore-paths",
              "ignore-me",
              "--ignore-paths",
              "model.sig"
            },
            new String[] {
              "digest",
              "--model=" + model,
              "--ignorePaths=ignore-me,model.sig",
              "--runner=DirectRunner"
            })) {
      Cli r = Cli.run(args);
      assertEquals(0, r.exitCode(), r.all());
      assertEquals(
          "sha256:92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4",
          r.out().trim(),
          String.join(" ", args));
    }
  }

  @Test
  void digestHashesTheSignatureFileLikeModelSigning() {
    // model_signing's digest does not leave model.sig out unless told to: neither does ours.
    Path model = Interop.releaseTests().resolve("v1.1.0-elliptic-key");
    Cli withSignature = Cli.run("digest", "--model=" + model, "--ignorePaths=ignore-me");
    assertEquals(0, withSignature.exitCode(), withSignature.all());
    assertFalse(
        withSignature
            .out()
            .contains("92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4"),
        withSignature.all());
    assertTrue(withSignature.err().contains("3 files"), withSignature.all());
  }

  @Test
  void missingModelIsAUsageError() {
    Cli r = Cli.run("digest", "--model=" + tmp.resolve("nope"));
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.err().contains("does not exist"), r.all());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.all());
  }

  @Test
  void spaceSeparatedOptionsWorkLikeEqualsForm() throws Exception {
    Path model = Files.createDirectory(tmp.resolve("spaced"));
    Files.writeString(model.resolve("w.bin"), "weights");
    Cli spaced = Cli.run("digest", "--model", model.toString(), "--hash-algorithm", "sha256");
    Cli equals = Cli.run("digest", "--model=" + model, "--hashAlgorithm=sha256");
    Cli snake = Cli.run("digest", model.toString(), "--hash_algorithm=sha256");
    assertEquals(0, spaced.exitCode(), spaced.all());
    assertEquals(equals.out(), spaced.out());
    assertEquals(equals.out(), snake.out());
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
