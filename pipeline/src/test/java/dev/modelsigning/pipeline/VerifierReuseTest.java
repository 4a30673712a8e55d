package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelsigning.pipeline.options.VerifyRegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry of many models checked under one policy builds its verifier once per worker (here one
 * worker: the DirectRunner's JVM), not once per model; the runner's own metric counts the builds.
 */
class VerifierReuseTest {
  @TempDir Path tmp;

  @Test
  void oneVerifierForThirtyModels() throws Exception {
    // A key no other test uses, so no earlier build in this JVM can be reused by accident.
    KeyPair kp = TestPems.newEcKey("secp256r1");
    Path keyDir = Files.createDirectories(tmp.resolve("keys"));
    Path priv = keyDir.resolve("k.pem");
    Path pub = keyDir.resolve("k.pub.pem");
    Files.writeString(
        priv,
        dev.modelsigning.core.signing.TestPki.privateKeyPem(
            kp, dev.modelsigning.core.signing.TestPki.KeyFormat.PKCS8, null));
    Files.writeString(pub, dev.modelsigning.core.signing.TestPki.pem(kp.getPublic()));
    Path registry = Files.createDirectories(tmp.resolve("registry"));
    for (int i = 0; i < 30; i++) {
      Path model = Files.createDirectories(registry.resolve("m" + i));
      Files.writeString(model.resolve("weights.bin"), "model " + i);
      Cli sign = Cli.run("sign", model.toString(), "--signer=key", "--privateKey=" + priv);
      assertEquals(0, sign.exitCode(), sign.all());
    }
    VerifyRegistryOptions options =
        PipelineOptionsFactory.fromArgs(
                "--registry=" + registry,
                "--verifier=key",
                "--publicKey=" + pub,
                "--report=" + tmp.resolve("report"))
            .as(VerifyRegistryOptions.class);
    PipelineResult result = VerifyRegistryPipeline.create(options).run();
    result.waitUntilFinish();
    long built = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("model-signing", "verifiersBuilt"))
                    .build())
            .getCounters()) {
      built += c.getAttempted();
    }
    assertEquals(1, built, "verifiers built for 30 models on one worker");
    assertEquals(
        30, Files.readAllLines(tmp.resolve("report/report.jsonl")).size(), "every model reported");
  }
}
