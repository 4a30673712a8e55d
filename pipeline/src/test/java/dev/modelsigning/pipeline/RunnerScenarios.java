package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.verify.KeyVerifier;
import dev.modelsigning.core.verify.ModelVerifier;
import dev.modelsigning.core.verify.VerificationResult;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign, verify and tamper jobs on another runner in this JVM, driven through the CLI, each against
 * the DirectRunner's digest and bundle for the same model (deterministic ECDSA, so a second runner
 * must write the same bytes). One subclass per runner; the runner is on the test classpath only
 * with its Maven profile, and the subclass is skipped, not failed, without it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
abstract class RunnerScenarios {
  @TempDir Path tmp;

  /** The options that run a command on this runner (appended after the command's own). */
  abstract List<String> runnerOptions();

  @Test
  void signAndVerifyMatchTheDirectRunner() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    List<byte[]> directBundle = new ArrayList<>();
    Cli direct = signOnDirectRunner(model, directBundle);

    Cli sign = SampleModels.signWithDemoKey(model, onRunner());
    assertEquals(0, sign.exitCode(), sign.all());
    Path sig = model.resolve("model.sig");
    assertTrue(Files.size(sig) > 0, sign.all());
    assertTrue(sign.err().contains("signature written to " + sig), sign.all());
    assertEquals(direct.out().trim(), sign.out().trim(), "digest vs DirectRunner");
    assertArrayEquals(directBundle.get(0), Files.readAllBytes(sig), "bundle vs DirectRunner");

    Cli verify = SampleModels.verifyWithDemoKey(model, onRunner());
    assertEquals(0, verify.exitCode(), verify.all());
    assertTrue(verify.out().contains("Verified"), verify.all());

    // And by the core library, outside Beam.
    VerificationResult core =
        ModelVerifier.verify(
            model,
            Files.readAllBytes(sig),
            KeyVerifier.fromPem(SampleModels.demoPublicKey()),
            "model.sig",
            List.of());
    assertEquals(5, core.fileCount());
    assertEquals("sha256:" + core.subjectDigestHex(), sign.out().trim());
  }

  @Test
  void tamperedModelFailsInOneLineNamingTheFile() {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Cli sign = SampleModels.signWithDemoKey(model, onRunner());
    assertEquals(0, sign.exitCode(), sign.all());
    SampleModels.flipByte(model.resolve("model-00002-of-00002.safetensors"), 1000);
    Cli verify = SampleModels.verifyWithDemoKey(model, onRunner());
    // The job's VerificationException comes back wrapped by the runner (Flink's
    // JobExecutionException, Spark's SparkException); the CLI finds it in the chain.
    assertEquals(1, verify.exitCode(), verify.all());
    assertTrue(verify.err().contains("changed: model-00002-of-00002.safetensors"), verify.all());
    assertFalse(verify.err().contains("\tat "), verify.all());
    assertEquals(
        1,
        verify.err().lines().filter(l -> l.startsWith("verification failed: ")).count(),
        verify.all());
  }

  @Test
  void shardsOfAMultiShardFileMatchTheDirectRunner() throws Exception {
    Path model = Files.createDirectory(tmp.resolve("sharded"));
    byte[] block = new byte[1 << 16];
    new Random(7).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(model.resolve("weights.bin"))) {
      for (int i = 0; i < 40; i++) { // 2.5 MiB
        out.write(block);
      }
    }
    Files.writeString(model.resolve("config.json"), "{\"layers\":2}");
    String shardSize = "--shardSize=" + (256 << 10); // 10 shards of weights.bin + 1 of config

    List<byte[]> directBundle = new ArrayList<>();
    Cli direct = signOnDirectRunner(model, directBundle, "--method=shards", shardSize);

    Cli sign = SampleModels.signWithDemoKey(model, onRunner("--method=shards", shardSize));
    assertEquals(0, sign.exitCode(), sign.all());
    assertEquals(direct.out().trim(), sign.out().trim(), "sharded digest vs DirectRunner");
    byte[] bundle = Files.readAllBytes(model.resolve("model.sig"));
    assertArrayEquals(directBundle.get(0), bundle, "sharded bundle vs DirectRunner");
    var statement = StatementReader.read(BundleReader.read(bundle).envelope().payload());
    var names = statement.manifest().resources().stream().map(r -> r.name()).toList();
    assertEquals(11, names.size(), names.toString());
    assertTrue(names.contains("weights.bin:2359296:2621440"), names.toString());

    Cli verify = SampleModels.verifyWithDemoKey(model, onRunner());
    assertEquals(0, verify.exitCode(), verify.all());
  }

  private String[] onRunner(String... extra) {
    List<String> all = new ArrayList<>(runnerOptions());
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  /** Signs on the DirectRunner, keeps the bundle and deletes it: the reference. */
  private static Cli signOnDirectRunner(Path model, List<byte[]> bundle, String... extra)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(extra));
    args.add("--runner=DirectRunner");
    Cli direct = SampleModels.signWithDemoKey(model, args.toArray(String[]::new));
    assertEquals(0, direct.exitCode(), direct.all());
    assertTrue(direct.out().startsWith("sha256:"), direct.all());
    Path sig = model.resolve("model.sig");
    bundle.add(Files.readAllBytes(sig));
    Files.delete(sig);
    return direct;
  }
}
