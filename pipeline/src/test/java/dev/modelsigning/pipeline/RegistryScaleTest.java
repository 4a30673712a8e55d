package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.signing.KeySigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 small signed models verify in one registry job on the DirectRunner. The models are signed
 * with the core library directly (1,000 pipeline launches would only measure launch cost). The wall
 * time is printed for the README's performance table, never asserted.
 */
class RegistryScaleTest {
  static final int MODELS = 1000;

  @TempDir Path tmp;

  @Test
  void thousandModelsVerifyInOneJob() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    KeySigner signer = KeySigner.fromPem(SampleModels.demoPrivateKey(), null);
    List<String> ignores = IgnorePaths.of("model.sig", List.of()).sorted();
    SerializationSettings settings =
        SerializationSettings.files(HashAlgorithm.SHA256, false, ignores);
    ListingPolicy policy = new ListingPolicy(IgnorePaths.exactly(ignores), false);
    for (int i = 0; i < MODELS; i++) {
      Path model = Files.createDirectories(reg.resolve("team-" + (i % 10) + "/model-" + i));
      Files.writeString(model.resolve("config.json"), "{\"id\":" + i + "}");
      Files.writeString(model.resolve("weights.bin"), "w".repeat(100 + i));
      byte[] statement = StatementWriter.write(LocalModelHasher.hash(model, settings, policy));
      Files.write(model.resolve("model.sig"), signer.sign(statement));
    }

    long start = System.nanoTime();
    Cli run =
        Cli.run(
            "verify-registry",
            "--registry=" + reg,
            "--report=" + tmp.resolve("out"),
            "--verifier=key",
            "--publicKey=" + SampleModels.demoPublicKey());
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("registry scale: %d models verified in %d ms%n", MODELS, millis);
    assertEquals(0, run.exitCode(), run.all());
    JsonNode summary =
        Json.parse(
            Files.readString(tmp.resolve("out/summary.json")).getBytes(StandardCharsets.UTF_8),
            "summary");
    assertEquals(MODELS, summary.path("verified").asLong());
    assertEquals(MODELS, Files.readAllLines(tmp.resolve("out/report.jsonl")).size());
  }
}
