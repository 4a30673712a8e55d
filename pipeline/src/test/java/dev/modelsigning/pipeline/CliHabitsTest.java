package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users of model_signing, scripts and workflow engines expect of the command line: both
 * spellings, help, --version, JSON output, regexp identities and progress lines.
 */
class CliHabitsTest {
  private static final String IDENTITY =
      "https://github.com/acme/train/.github/workflows/release.yml@refs/tags/v1.4.2";
  private static final ObjectMapper JSON = new ObjectMapper();

  static OidcTestIssuer issuer;
  static LoopbackSigstore sigstore;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    issuer = new OidcTestIssuer();
    sigstore = LoopbackSigstore.builder(issuer.issuerUrl()).start();
  }

  @AfterAll
  static void stop() {
    if (sigstore != null) {
      sigstore.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  @Test
  void modelSigningSpellingAndThisProjectsGiveTheSameSignature() throws Exception {
    // same model name (the statement's subject) in two places
    Path a = SampleModels.copyOfSample(Files.createDirectories(tmp.resolve("one")), "model");
    Path b = SampleModels.copyOfSample(Files.createDirectories(tmp.resolve("two")), "model");
    Cli ours =
        Cli.run(
            "sign",
            "--model=" + a,
            "--signer=key",
            "--privateKey=" + SampleModels.demoPrivateKey(),
            "--ignorePaths=tokenizer");
    Cli theirs =
        Cli.run(
            "sign",
            "key",
            b.toString(),
            "--private-key",
            SampleModels.demoPrivateKey().toString(),
            "--ignore-paths",
            b.resolve("tokenizer").toString(),
            "--signature",
            b.resolve("model.sig").toString());
    assertEquals(0, ours.exitCode(), ours.all());
    assertEquals(0, theirs.exitCode(), theirs.all());
    // Same statement, same deterministic signature: byte-identical bundles.
    assertEquals(
        Files.readString(a.resolve("model.sig")), Files.readString(b.resolve("model.sig")));
    Cli verify =
        Cli.run(
            "verify", "key", b.toString(), "--public_key", SampleModels.demoPublicKey().toString());
    assertEquals(0, verify.exitCode(), verify.all());
  }

  @Test
  void anIgnorePathThatNamesNothingIsAnError() {
    Path m = SampleModels.copyOfSample(tmp, "m");
    Cli r =
        Cli.run(
            "sign",
            "key",
            m.toString(),
            "--private-key",
            SampleModels.demoPrivateKey().toString(),
            "--ignore-paths",
            "no-such-dir");
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.err().contains("'no-such-dir' names nothing under the model"), r.all());
    assertFalse(Files.exists(m.resolve("model.sig")));
  }

  @Test
  void helpListsThisProjectsOptionsFirstAndVersionNamesTheBuild() {
    Cli h = Cli.run("verify", "-h");
    assertEquals(0, h.exitCode(), h.all());
    assertTrue(h.out().contains("--identityRegexp"), h.out());
    assertFalse(h.out().contains("--jobName"), "-h lists only this project's options");
    Cli full = Cli.run("verify", "--help");
    assertTrue(
        full.out().indexOf("--identityRegexp") < full.out().indexOf("--jobName"),
        "this project's options come before Beam's");
    Cli v = Cli.run("--version");
    assertEquals(0, v.exitCode(), v.all());
    assertTrue(
        v.out().matches("model-signing \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(.*\\)\\s*"), v.out());
  }

  @Test
  void jsonOutputIsOneObjectForSuccessAndFailure() throws Exception {
    Path m = SampleModels.copyOfSample(tmp, "json");
    Cli sign =
        Cli.run(
            "sign",
            "key",
            m.toString(),
            "--private-key",
            SampleModels.demoPrivateKey().toString(),
            "--output=json");
    assertEquals(0, sign.exitCode(), sign.all());
    JsonNode signed = JSON.readTree(sign.out());
    assertEquals("ok", signed.path("status").asText());
    assertEquals("SIGNED", signed.path("action").asText());
    assertTrue(signed.path("subjectDigest").asText().startsWith("sha256:"));
    assertEquals(5, signed.path("files").asLong());
    assertEquals(m.resolve("model.sig").toString(), signed.path("signature").asText());

    SampleModels.flipByte(m.resolve("config.json"), 3);
    Cli verify =
        Cli.run(
            "verify",
            "key",
            m.toString(),
            "--public-key",
            SampleModels.demoPublicKey().toString(),
            "--output",
            "json");
    assertEquals(1, verify.exitCode(), verify.all());
    JsonNode failed = JSON.readTree(verify.out());
    assertEquals("failed", failed.path("status").asText());
    assertTrue(failed.path("error").asText().contains("config.json"), verify.out());
    assertEquals(1, verify.out().trim().lines().count(), "one JSON object on stdout");
  }

  @Test
  void regexpIdentitiesMatchWholeValuesOnly() throws Exception {
    Path m = SampleModels.copyOfSample(tmp, "keyless");
    Path token = Files.writeString(tmp.resolve("token.jwt"), issuer.token(IDENTITY));
    Cli sign =
        Cli.run(
            "sign",
            "sigstore",
            m.toString(),
            "--sigstoreInstance=custom",
            "--trust-config",
            sigstore.trustedRoot().toString(),
            "--signing-config",
            sigstore.signingConfig().toString(),
            "--identityTokenFile=" + token);
    assertEquals(0, sign.exitCode(), sign.all());
    String root = "--trustedRoot=" + sigstore.trustedRoot();
    Cli tags =
        Cli.run(
            "verify",
            "sigstore",
            m.toString(),
            "--identity-regexp",
            "https://github\\.com/acme/train/\\.github/workflows/release\\.yml@refs/tags/v.*",
            "--identityProvider=" + issuer.issuerUrl(),
            root);
    assertEquals(0, tags.exitCode(), tags.all());
    Cli prefixOnly =
        Cli.run(
            "verify",
            "sigstore",
            m.toString(),
            "--identityRegexp=https://github\\.com/acme/train",
            "--identityProvider=" + issuer.issuerUrl(),
            root);
    assertEquals(1, prefixOnly.exitCode(), "a regexp must match the whole identity");
    Cli issuerRegexp =
        Cli.run(
            "verify",
            "sigstore",
            m.toString(),
            "--identity=" + IDENTITY,
            "--identityProviderRegexp=http://127\\.0\\.0\\.1:\\d+/.*",
            root);
    assertEquals(0, issuerRegexp.exitCode(), issuerRegexp.all());
    Cli both =
        Cli.run(
            "verify",
            "sigstore",
            m.toString(),
            "--identity=" + IDENTITY,
            "--identityRegexp=.*",
            "--identityProvider=" + issuer.issuerUrl(),
            root);
    assertEquals(2, both.exitCode(), both.all());
  }

  @Test
  void progressLinesWhileOneBigFileIsHashed() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("big"));
    byte[] block = new byte[1 << 20];
    new Random(4).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(m.resolve("weights.bin"))) {
      for (int i = 0; i < 256; i++) {
        out.write(block);
      }
    }
    Cli r = Cli.run("digest", m.toString(), "--progressInterval=0.000001");
    assertEquals(0, r.exitCode(), r.all());
    long lines = r.err().lines().filter(l -> l.startsWith("hashed ")).count();
    assertTrue(lines >= 2, "progress during one file in files mode:\n" + r.err());
    assertTrue(
        r.err()
            .lines()
            .anyMatch(
                l -> l.matches("hashed .* of 256\\.0 MiB \\(\\d+%\\), .*/s, about \\d+ s left")),
        r.err());
    Cli quiet = Cli.run("digest", m.toString(), "--progressInterval=0");
    assertFalse(quiet.err().contains("hashed "), quiet.err());
  }
}
