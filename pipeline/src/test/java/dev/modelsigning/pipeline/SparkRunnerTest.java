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
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign and verify jobs on a Spark master in this JVM ({@code --sparkMaster=local[2]}: a driver and
 * two executor threads), driven through the CLI. The Spark runner is on the test classpath only
 * with the {@code spark} Maven profile (which also moves Beam to 2.70.0 and gives surefire the Java
 * 17 flags Spark needs); without it these tests are skipped, not failed.
 */
@EnabledIf("sparkRunnerPresent")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SparkRunnerTest {
  @TempDir Path tmp;

  static boolean sparkRunnerPresent() {
    try {
      Class.forName("org.apache.beam.runners.spark.SparkRunner");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static final List<String> SPARK =
      List.of("--runner=SparkRunner", "--sparkMaster=local[2]");

  /** Options come after the command's own, so the Spark ones are simply appended. */
  private static String[] onSpark(String... extra) {
    List<String> all = new ArrayList<>(SPARK);
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  private static Cli signOnSpark(Path model, String... extra) {
    return SampleModels.signWithDemoKey(model, onSpark(extra));
  }

  private static Cli verifyOnSpark(Path model, String... extra) {
    return SampleModels.verifyWithDemoKey(model, onSpark(extra));
  }

  /**
   * The DirectRunner's sign of the same model, as the reference: its digest line and its bundle
   * (deterministic ECDSA, so a second engine must write the same bytes). Leaves no signature
   * behind.
   */
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

  @Test
  void signAndVerifyOnSparkMatchDirectRunnerDigest() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    List<byte[]> directBundle = new ArrayList<>();
    Cli direct = signOnDirectRunner(model, directBundle);

    Cli sign = signOnSpark(model);
    assertEquals(0, sign.exitCode(), sign.all());
    Path sig = model.resolve("model.sig");
    assertTrue(Files.size(sig) > 0, sign.all());
    assertTrue(sign.err().contains("signature written to " + sig), sign.all());
    assertEquals(direct.out().trim(), sign.out().trim(), "Spark vs DirectRunner digest");
    assertArrayEquals(directBundle.get(0), Files.readAllBytes(sig), "Spark vs DirectRunner bundle");

    Cli verify = verifyOnSpark(model);
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
  void tamperedModelFailsOnSparkNamingTheFile() {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, signOnSpark(model).exitCode());
    SampleModels.flipByte(model.resolve("model-00002-of-00002.safetensors"), 1000);
    Cli verify = verifyOnSpark(model);
    // The job's VerificationException comes back through Spark's SparkException.
    assertEquals(1, verify.exitCode(), verify.all());
    assertTrue(verify.err().contains("changed: model-00002-of-00002.safetensors"), verify.all());
    // One line naming the cause, not Spark's page of stack trace.
    assertFalse(verify.err().contains("\tat "), verify.all());
    assertEquals(
        1,
        verify.err().lines().filter(l -> l.startsWith("verification failed: ")).count(),
        verify.all());
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

    List<byte[]> directBundle = new ArrayList<>();
    Cli direct = signOnDirectRunner(model, directBundle, "--method=shards", shardSize);

    Cli sign = signOnSpark(model, "--method=shards", shardSize);
    assertEquals(0, sign.exitCode(), sign.all());
    assertEquals(direct.out().trim(), sign.out().trim(), "Spark vs DirectRunner sharded digest");
    byte[] bundle = Files.readAllBytes(model.resolve("model.sig"));
    assertArrayEquals(directBundle.get(0), bundle, "Spark vs DirectRunner sharded bundle");
    var statement = StatementReader.read(BundleReader.read(bundle).envelope().payload());
    var names = statement.manifest().resources().stream().map(r -> r.name()).toList();
    assertEquals(11, names.size(), names.toString());
    assertTrue(names.contains("weights.bin:2359296:2621440"), names.toString());

    Cli verify = verifyOnSpark(model);
    assertEquals(0, verify.exitCode(), verify.all());
  }
}
