package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.testing.Interop;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry holding every kind of good and bad model is verified in one job: each model gets its
 * own report line with the right status and reason, and the job itself completes (then fails, as
 * asked, because some models did not verify).
 */
class RegistryVerificationTest {
  static final String IDENTITY = "https://ci.example.com/pipelines/vision";

  @TempDir Path tmp;

  @Test
  void everyModelIsReportedWithItsOwnOutcome() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    Path out = tmp.resolve("report");

    Path good = signedWithDemoKey(reg, "good-key");
    Path tampered = signedWithDemoKey(reg, "tampered");
    SampleModels.flipByte(tampered.resolve("model-00001-of-00002.safetensors"), 7);
    Path extra = signedWithDemoKey(reg, "extra");
    Files.writeString(extra.resolve("notes.txt"), "added after signing");
    Path missing = signedWithDemoKey(reg, "missing");
    Files.delete(missing.resolve("config.json"));
    Path truncated = signedWithDemoKey(reg, "truncated");
    byte[] sig = Files.readAllBytes(truncated.resolve("model.sig"));
    Files.write(truncated.resolve("model.sig"), Arrays.copyOf(sig, sig.length / 2));
    Path otherKey = SampleModels.copyOfSample(reg, "other-signer");
    TestPems.KeyFiles stranger = TestPems.newEncryptedKey(tmp, "pw");
    Path pw = Files.writeString(tmp.resolve("pw.txt"), "pw");
    assertEquals(
        0,
        Cli.run(
                "sign",
                "--model=" + otherKey,
                "--signer=key",
                "--privateKey=" + stranger.privateKey(),
                "--privateKeyPasswordFile=" + pw)
            .exitCode());
    Path unsigned = Files.createDirectories(reg.resolve("unsigned/checkpoint"));
    Files.write(unsigned.resolve("model.safetensors"), new byte[64]);

    // model_signing's own signatures, verified under their own policies.
    Path interop = Files.createDirectory(reg.resolve("interop"));
    for (String name :
        new String[] {
          "v1.1.0-elliptic-key", "v1.0.1-elliptic-key", "v1.1.0-certificate", "v1.1.0-sigstore"
        }) {
      copyTree(Interop.releaseTests().resolve(name), interop.resolve(name));
    }

    Path keylessRoot;
    try (OidcTestIssuer issuer = new OidcTestIssuer();
        LoopbackSigstore sigstore = LoopbackSigstore.builder(issuer.issuerUrl()).start()) {
      Path keyless =
          SampleModels.copyOfSample(Files.createDirectory(reg.resolve("keyless")), "good");
      Path token = Files.writeString(tmp.resolve("token"), issuer.token(IDENTITY));
      Cli sign =
          Cli.run(
              "sign",
              "--model=" + keyless,
              "--signer=sigstore",
              "--sigstoreInstance=custom",
              "--trustedRoot=" + sigstore.trustedRoot(),
              "--signingConfig=" + sigstore.signingConfig(),
              "--identityTokenFile=" + token);
      assertEquals(0, sign.exitCode(), sign.all());
      keylessRoot = Files.copy(sigstore.trustedRoot(), tmp.resolve("keyless-trusted-root.json"));
      Path keys = Interop.releaseTests().resolve("keys/certificate");
      Path trustConfig =
          Interop.modelTransparency().resolve("tests/_signing/testdata/custom_trust_config.json");
      String policy =
          """
          {"policies": [
            {"prefix": "keyless/", "verifier": "sigstore", "identity": "%s",
             "identityProvider": "%s", "sigstoreInstance": "custom", "trustedRoot": "%s"},
            {"prefix": "interop/v1.1.0-sigstore/", "verifier": "sigstore",
             "identity": "stefanb@us.ibm.com",
             "identityProvider": "https://sigstore.verify.ibm.com/oauth2",
             "sigstoreInstance": "custom", "trustedRoot": "%s"},
            {"prefix": "interop/v1.1.0-certificate/", "verifier": "certificate",
             "caCertificates": "%s"},
            {"prefix": "interop/", "verifier": "key", "publicKey": "%s"}
          ]}
          """
              .formatted(
                  IDENTITY,
                  issuer.issuerUrl(),
                  keylessRoot,
                  trustConfig,
                  keys.resolve("ca-cert.pem"),
                  keys.resolve("signing-key-pub.pem"));
      Path policyFile = Files.writeString(tmp.resolve("policy.json"), policy);

      Cli run =
          Cli.run(
              "verify-registry",
              "--registry=" + reg,
              "--report=" + out,
              "--verifier=key",
              "--publicKey=" + SampleModels.demoPublicKey(),
              "--policyFile=" + policyFile,
              "--requireSigned=true",
              "--ignorePaths=ignore-me");
      assertEquals(1, run.exitCode(), run.all());
      assertTrue(run.err().contains("6 of 12 models did not verify"), run.all());
    }

    Map<String, JsonNode> report = readReport(out.resolve("report.jsonl"));
    assertEquals(12, report.size(), report.keySet().toString());
    assertStatus(report, good, "verified", null);
    assertStatus(report, reg.resolve("keyless/good"), "verified", null);
    assertTrue(
        report
            .get(reg.resolve("keyless/good").toString())
            .path("signer")
            .asText()
            .startsWith(IDENTITY));
    for (String name :
        new String[] {
          "v1.1.0-elliptic-key", "v1.0.1-elliptic-key", "v1.1.0-certificate", "v1.1.0-sigstore"
        }) {
      assertStatus(report, interop.resolve(name), "verified", null);
    }
    assertStatus(report, tampered, "failed", "changed: model-00001-of-00002.safetensors");
    assertStatus(report, extra, "failed", "extra (not signed): notes.txt");
    assertStatus(report, missing, "failed", "missing: config.json");
    assertStatus(report, truncated, "failed", "not valid JSON");
    assertStatus(report, otherKey, "failed", "");
    assertStatus(report, unsigned, "unsigned", "no signature file");
    JsonNode goodLine = report.get(good.toString());
    assertEquals(5, goodLine.path("files").asLong());
    assertEquals(8546, goodLine.path("bytes").asLong());
    assertTrue(goodLine.path("subjectDigest").asText().startsWith("sha256:"));

    JsonNode summary = Json.parse(Files.readAllBytes(out.resolve("summary.json")), "summary");
    assertEquals(12, summary.path("models").asLong());
    assertEquals(6, summary.path("verified").asLong());
    assertEquals(5, summary.path("failed").asLong());
    assertEquals(1, summary.path("unsigned").asLong());
  }

  @Test
  void reportMustNotLandInsideTheRegistry() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    Cli run =
        Cli.run(
            "verify-registry",
            "--registry=" + reg,
            "--report=" + reg.resolve("reports"),
            "--verifier=key",
            "--publicKey=" + SampleModels.demoPublicKey());
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("outside the registry"), run.all());
  }

  private static Path signedWithDemoKey(Path reg, String name) {
    Path model = SampleModels.copyOfSample(reg, name);
    Cli sign = SampleModels.signWithDemoKey(model);
    assertEquals(0, sign.exitCode(), sign.all());
    return model;
  }

  private static void assertStatus(
      Map<String, JsonNode> report, Path model, String status, String reason) {
    JsonNode line = report.get(model.toString());
    assertTrue(line != null, "no report line for " + model + " in " + report.keySet());
    assertEquals(status, line.path("status").asText(), line.toString());
    if (reason != null) {
      assertTrue(line.path("reasons").toString().contains(reason), line.toString());
    }
  }

  private static Map<String, JsonNode> readReport(Path file) throws IOException {
    Map<String, JsonNode> out = new HashMap<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode n = Json.parse(l.getBytes(StandardCharsets.UTF_8), "report line");
      out.put(n.path("model").asText(), n);
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
