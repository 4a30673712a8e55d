package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign and verify jobs on Flink's embedded cluster ({@code --flinkMaster=[local]}, parallelism 2),
 * driven through the CLI. The Flink runner is on the test classpath only with the {@code flink}
 * Maven profile (which also moves Beam to 2.70.0); without it these tests are skipped, not failed.
 *
 * <p>On [local] the job runs in this JVM, so the {@code --resultFile} the job writes is on this
 * machine's disk and the CLI prints the digest as it does on the DirectRunner.
 */
@EnabledIf("flinkRunnerPresent")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FlinkRunnerTest {
  @TempDir Path tmp;

  static boolean flinkRunnerPresent() {
    try {
      Class.forName("org.apache.beam.runners.flink.FlinkRunner");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static final List<String> FLINK =
      List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");

  /** Options come after the command's own, so the Flink ones are simply appended. */
  private static String[] onFlink(String... extra) {
    List<String> all = new ArrayList<>(FLINK);
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  private static Cli signOnFlink(Path model, String... extra) {
    return SampleModels.signWithDemoKey(model, onFlink(extra));
  }

  private static Cli verifyOnFlink(Path model, String... extra) {
    return SampleModels.verifyWithDemoKey(model, onFlink(extra));
  }

  @Test
  void signAndVerifyOnFlinkMatchDirectRunnerDigest() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    // The same model's digest on the DirectRunner, taken before model.sig exists (digest, like
    // model_signing's, hashes every file it finds).
    Cli direct = Cli.run("digest", "--model=" + model, "--runner=DirectRunner");
    assertEquals(0, direct.exitCode(), direct.all());
    assertTrue(direct.out().startsWith("sha256:"), direct.all());
    Cli sign = signOnFlink(model);
    assertEquals(0, sign.exitCode(), sign.all());
    Path sig = model.resolve("model.sig");
    assertTrue(Files.size(sig) > 0, sign.all());
    assertTrue(sign.err().contains("signature written to " + sig), sign.all());

    Cli verify = verifyOnFlink(model);
    assertEquals(0, verify.exitCode(), verify.all());
    assertTrue(verify.out().contains("Verified"), verify.all());

    assertEquals(direct.out().trim(), sign.out().trim(), "Flink vs DirectRunner digest");
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
  void tamperedModelFailsOnFlinkNamingTheFile() {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, signOnFlink(model).exitCode());
    SampleModels.flipByte(model.resolve("model-00002-of-00002.safetensors"), 1000);
    Cli verify = verifyOnFlink(model);
    // The job's VerificationException comes back through Flink's JobExecutionException.
    assertEquals(1, verify.exitCode(), verify.all());
    assertTrue(verify.err().contains("changed: model-00002-of-00002.safetensors"), verify.all());
  }

  @Test
  void shardsMethodOnAMultiShardFileMatchesDirectRunner() throws Exception {
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

    Cli direct =
        Cli.run(
            "digest", "--model=" + model, "--method=shards", shardSize, "--runner=DirectRunner");
    assertEquals(0, direct.exitCode(), direct.all());
    Cli sign = signOnFlink(model, "--method=shards", shardSize);
    assertEquals(0, sign.exitCode(), sign.all());
    var statement =
        StatementReader.read(
            BundleReader.read(Files.readAllBytes(model.resolve("model.sig"))).envelope().payload());
    var names = statement.manifest().resources().stream().map(r -> r.name()).toList();
    assertEquals(11, names.size(), names.toString());
    assertTrue(names.contains("weights.bin:2359296:2621440"), names.toString());

    Cli verify = verifyOnFlink(model);
    assertEquals(0, verify.exitCode(), verify.all());

    assertEquals(direct.out().trim(), sign.out().trim(), "Flink vs DirectRunner sharded digest");
  }
}
