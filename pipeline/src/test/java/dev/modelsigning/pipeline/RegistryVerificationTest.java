package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.tsp.TimeStampResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Registry re-verification through the CLI on the DirectRunner: each model gets its own report line
 * with the right status, reason, id, policy name, signing time and log index; what a model list or
 * policy file gets wrong fails at launch, naming the line.
 */
class RegistryVerificationTest {
  static final String IDENTITY = "https://ci.example.com/pipelines/vision";

  @TempDir Path tmp;

  // ---- models scanned under a registry root ---------------------------------------------------

  @Test
  void unchangedKeySignedModelVerifiesWithoutSigningTimeOrLogIndex() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    Path good = signedWithDemoKey(reg, "good");

    Report run = verifyRegistry("--registry=" + reg, "--verifier=key", demoKey());

    assertEquals(0, run.cli().exitCode(), run.all());
    assertEquals(List.of(good.toString()), List.copyOf(run.lines().keySet()));
    JsonNode line = run.line(good);
    assertEquals("verified", line.path("status").asText(), line.toString());
    assertEquals("key sha256:" + keyHint(good.resolve("model.sig")), line.path("signer").asText());
    assertTrue(line.path("subjectDigest").asText().matches("sha256:[0-9a-f]{64}"), line.toString());
    assertEquals(5, line.path("files").asLong());
    assertEquals(8546, line.path("bytes").asLong());
    assertEquals(0, line.path("reasons").size(), line.toString());
    for (String absent : List.of("signedAt", "logIndex", "id", "policy")) {
      assertFalse(line.has(absent), absent + " in " + line);
    }
    assertEquals(1, run.summary().path("models").asLong());
    assertEquals(1, run.summary().path("verified").asLong());
  }

  @Test
  void contentChangedAfterSigningFailsNamingTheFile() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    Path good = signedWithDemoKey(reg, "good");
    Path changed = signedWithDemoKey(reg, "changed");
    SampleModels.flipByte(changed.resolve("model-00001-of-00002.safetensors"), 7);
    Path extra = signedWithDemoKey(reg, "extra");
    Files.writeString(extra.resolve("notes.txt"), "added after signing");
    Path missing = signedWithDemoKey(reg, "missing");
    Files.delete(missing.resolve("config.json"));

    Report run = verifyRegistry("--registry=" + reg, "--verifier=key", demoKey());

    assertEquals(1, run.cli().exitCode(), run.all());
    assertTrue(run.cli().err().contains("3 of 4 models did not verify"), run.cli().all());
    assertEquals(4, run.lines().size(), run.lines().keySet().toString());
    assertReasons(run, good, "verified");
    assertReasons(run, changed, "failed", "changed: model-00001-of-00002.safetensors");
    assertReasons(run, extra, "failed", "extra (not signed): notes.txt");
    assertReasons(run, missing, "failed", "missing: config.json");
    assertEquals(1, run.summary().path("verified").asLong());
    assertEquals(3, run.summary().path("failed").asLong());
  }

  @Test
  void unreadableOrForeignSignatureFailsWithoutRehashing() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    Path truncated = signedWithDemoKey(reg, "truncated");
    byte[] sig = Files.readAllBytes(truncated.resolve("model.sig"));
    Files.write(truncated.resolve("model.sig"), Arrays.copyOf(sig, sig.length / 2));
    Path foreign = SampleModels.copyOfSample(reg, "foreign");
    TestPems.KeyFiles stranger = TestPems.newEncryptedKey(tmp, "pw");
    signWith(foreign, stranger);

    Report run = verifyRegistry("--registry=" + reg, "--verifier=key", demoKey());

    assertEquals(1, run.cli().exitCode(), run.all());
    assertReasons(run, truncated, "failed", "not valid JSON");
    assertReasons(
        run,
        foreign,
        "failed",
        "the bundle names the signing key sha256:"
            + keyHint(foreign.resolve("model.sig"))
            + ", not the configured public key");
    for (Path model : List.of(truncated, foreign)) {
      assertEquals(0, run.line(model).path("files").asLong(), "never re-hashed: " + model);
      assertFalse(run.line(model).has("subjectDigest"), run.line(model).toString());
    }
  }

  @Test
  void requireSignedReportsMarkedDirectoriesOutsideSignedModels() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    Path signed = signedWithDemoKey(reg, "signed");
    Path unsigned = Files.createDirectories(reg.resolve("unsigned/checkpoint"));
    Files.write(unsigned.resolve("model.safetensors"), new byte[64]);
    Files.writeString(Files.createDirectories(reg.resolve("docs")).resolve("README.md"), "docs");

    Report required =
        verifyRegistry("--registry=" + reg, "--verifier=key", demoKey(), "--requireSigned=true");

    assertEquals(1, required.cli().exitCode(), required.all());
    // The signed model's own *.safetensors files do not make it an unsigned model too, and a
    // directory without a marker file is no model at all.
    assertEquals(
        List.of(signed.toString(), unsigned.toString()),
        required.lines().keySet().stream().sorted().toList());
    assertReasons(required, signed, "verified");
    assertReasons(required, unsigned, "unsigned", "no signature file");
    assertEquals(1, required.summary().path("unsigned").asLong());

    Report notRequired = verifyRegistry("--registry=" + reg, "--verifier=key", demoKey());
    assertEquals(0, notRequired.cli().exitCode(), notRequired.all());
    assertEquals(List.of(signed.toString()), List.copyOf(notRequired.lines().keySet()));
  }

  @Test
  void longestPrefixRuleVerifiesModelSigningSignaturesAndIsNamedInTheReport() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    Path interop = Files.createDirectory(reg.resolve("interop"));
    List<String> releases =
        List.of(
            "v1.1.0-elliptic-key", "v1.0.1-elliptic-key", "v1.1.0-certificate", "v1.1.0-sigstore");
    for (String name : releases) {
      copyTree(Interop.releaseTests().resolve(name), interop.resolve(name));
    }
    Path keys = Interop.releaseTests().resolve("keys/certificate");
    Path trustConfig =
        Interop.modelTransparency().resolve("tests/_signing/testdata/custom_trust_config.json");
    Path policy =
        Files.writeString(
            tmp.resolve("policy.json"),
            """
            {"policies": [
              {"name": "ibm-keyless", "prefix": "interop/v1.1.0-sigstore/", "verifier": "sigstore",
               "identity": "stefanb@us.ibm.com",
               "identityProvider": "https://sigstore.verify.ibm.com/oauth2",
               "sigstoreInstance": "custom", "trustedRoot": "%s"},
              {"name": "release-ca", "prefix": "interop/v1.1.0-certificate/",
               "verifier": "certificate", "caCertificates": "%s"},
              {"prefix": "interop/", "verifier": "key", "publicKey": "%s"}
            ]}
            """
                .formatted(
                    trustConfig, keys.resolve("ca-cert.pem"), keys.resolve("signing-key-pub.pem")));

    Report run =
        verifyRegistry(
            "--registry=" + reg,
            "--verifier=key",
            demoKey(),
            "--policyFile=" + policy,
            // model_signing v1.0.1 did not record its ignore paths.
            "--ignorePaths=ignore-me");

    assertEquals(0, run.cli().exitCode(), run.all());
    assertEquals(4, run.lines().size(), run.lines().keySet().toString());
    for (String name : releases) {
      assertReasons(run, interop.resolve(name), "verified");
    }
    JsonNode keyless = run.line(interop.resolve("v1.1.0-sigstore"));
    assertEquals("ibm-keyless", keyless.path("policy").asText(), keyless.toString());
    assertTrue(
        keyless.path("signer").asText().startsWith("stefanb@us.ibm.com"), keyless.toString());
    // model_signing's public-good bundle: Rekor v1 integrated time and index, both signed by the
    // log's inclusion promise.
    assertEquals("2025-10-10T02:12:20Z", keyless.path("signedAt").asText(), keyless.toString());
    assertEquals(598151086L, keyless.path("logIndex").asLong(-1), keyless.toString());
    JsonNode certificate = run.line(interop.resolve("v1.1.0-certificate"));
    assertEquals("release-ca", certificate.path("policy").asText(), certificate.toString());
    JsonNode key = run.line(interop.resolve("v1.1.0-elliptic-key"));
    assertTrue(key.path("signer").asText().startsWith("key sha256:"), key.toString());
    for (JsonNode line : List.of(certificate, key)) {
      assertFalse(line.has("signedAt"), line.toString());
      assertFalse(line.has("logIndex"), line.toString());
    }
    assertFalse(key.has("policy"), "the interop/ rule has no name: " + key);
  }

  @Test
  void keylessLinesCarryTheVerifiedSigningTimeAndLogIndex() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    Path keyModel = signedWithDemoKey(reg, "key-signed");
    // Rekor v1 records this integrated time, 40 s after the certificates and RFC 3161 timestamps
    // are issued (well inside the 10-minute certificates, under a minute ahead of verification):
    // the report must show the log's time, not the TSA's.
    Instant integrated = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(40);
    try (OidcTestIssuer issuer = new OidcTestIssuer();
        LoopbackSigstore v1 =
            LoopbackSigstore.builder(issuer.issuerUrl()).integratedTime(integrated).start();
        // Rekor v2 with a TSA: the log entry has no time, the RFC 3161 timestamp is the time.
        LoopbackSigstore v2 =
            LoopbackSigstore.builder(issuer.issuerUrl()).withRekorV2(true).start()) {
      Path token = Files.writeString(tmp.resolve("token"), issuer.token(IDENTITY));
      Path v1First = signKeyless(reg.resolve("rekor-v1"), "first", v1, token);
      Path v1Second = signKeyless(reg.resolve("rekor-v1"), "second", v1, token);
      Path v2Model = signKeyless(reg.resolve("rekor-v2"), "model", v2, token);
      assertEquals(1, v2.rekorV2Size(), "the v2 instance's signing config selects Rekor v2");
      Path policy =
          Files.writeString(
              tmp.resolve("policy.json"),
              """
              {"policies": [
                {"prefix": "rekor-v1/", "verifier": "sigstore", "identity": "%1$s",
                 "identityProvider": "%2$s", "sigstoreInstance": "custom", "trustedRoot": "%3$s"},
                {"prefix": "rekor-v2/", "verifier": "sigstore", "identity": "%1$s",
                 "identityProvider": "%2$s", "sigstoreInstance": "custom", "trustedRoot": "%4$s"}
              ]}
              """
                  .formatted(IDENTITY, issuer.issuerUrl(), v1.trustedRoot(), v2.trustedRoot()));

      Report run =
          verifyRegistry(
              "--registry=" + reg, "--verifier=key", demoKey(), "--policyFile=" + policy);

      assertEquals(0, run.cli().exitCode(), run.all());
      assertEquals(4, run.lines().size(), run.lines().keySet().toString());
      for (Path model : List.of(v1First, v1Second)) {
        JsonNode line = run.line(model);
        JsonNode entry = logEntry(model);
        assertEquals("verified", line.path("status").asText(), line.toString());
        assertTrue(line.path("signer").asText().startsWith(IDENTITY), line.toString());
        assertEquals(integrated.getEpochSecond(), entry.path("integratedTime").asLong());
        assertNotEquals(integrated, timestampOf(model), "the bundle's TSA time differs");
        assertEquals(integrated.toString(), line.path("signedAt").asText(), line.toString());
        assertEquals(
            entry.path("logIndex").asLong(), line.path("logIndex").asLong(-1), line.toString());
      }
      assertNotEquals(
          run.line(v1First).path("logIndex").asLong(),
          run.line(v1Second).path("logIndex").asLong(),
          "each signature has its own log entry");

      JsonNode v2Line = run.line(v2Model);
      assertEquals("verified", v2Line.path("status").asText(), v2Line.toString());
      assertEquals(
          timestampOf(v2Model).toString(), v2Line.path("signedAt").asText(), v2Line.toString());
      assertEquals(
          logEntry(v2Model).path("logIndex").asLong(),
          v2Line.path("logIndex").asLong(-1),
          v2Line.toString());

      JsonNode keyLine = run.line(keyModel);
      assertEquals("verified", keyLine.path("status").asText(), keyLine.toString());
      assertFalse(keyLine.has("signedAt"), keyLine.toString());
      assertFalse(keyLine.has("logIndex"), keyLine.toString());
    }
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
    assertFalse(Files.exists(reg.resolve("reports")), "nothing written");
  }

  // ---- models named by a --modelList ----------------------------------------------------------

  @Test
  void listLinesCarryTheirIdsAndSignatureFilesToTheReport() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    Path plain = signedWithDemoKey(reg, "plain");
    Path withId = signedWithDemoKey(reg, "with-id");
    Path outside = SampleModels.copyOfSample(reg, "signature-outside");
    Path outsideSig = Files.createDirectory(tmp.resolve("signatures")).resolve("outside.sig");
    assertEquals(0, SampleModels.signWithDemoKey(outside, "--signature=" + outsideSig).exitCode());
    Path inside = SampleModels.copyOfSample(reg, "signature-inside");
    Path insideSig = inside.resolve("custom.sig");
    assertEquals(0, SampleModels.signWithDemoKey(inside, "--signature=" + insideSig).exitCode());
    Path absent = signedWithDemoKey(reg, "absent-signature");
    Path notListed = signedWithDemoKey(reg, "not-listed");
    Path list =
        Files.writeString(
            tmp.resolve("models.jsonl"),
            String.join(
                "\n",
                "# models to re-verify tonight",
                "",
                plain.toString(),
                "{\"model\": \"%s\", \"id\": \"registry/with-id@3\"}".formatted(withId),
                "  {\"id\": \"hf:org/name@abc\", \"model\": \"%s\", \"signature\": \"%s\"}  "
                    .formatted(outside, outsideSig),
                "{\"model\": \"%s\", \"signature\": \"%s\", \"id\": \"inside\"}"
                    .formatted(inside, insideSig),
                "{\"model\": \"%s\", \"signature\": \"%s\", \"id\": \"absent\"}"
                    .formatted(absent, tmp.resolve("signatures/none.sig")),
                ""));

    Report run = verifyRegistry("--modelList=" + list, "--verifier=key", demoKey());

    assertEquals(1, run.cli().exitCode(), run.all());
    assertFalse(run.lines().containsKey(notListed.toString()), "only listed models");
    assertEquals(5, run.lines().size(), run.lines().keySet().toString());
    assertReasons(run, plain, "verified");
    assertFalse(run.line(plain).has("id"), run.line(plain).toString());
    assertId(run, withId, "registry/with-id@3", "verified");
    assertId(run, outside, "hf:org/name@abc", "verified");
    // A signature inside the model under another name is not one of the model's files.
    assertId(run, inside, "inside", "verified");
    assertEquals(5, run.line(inside).path("files").asLong(), run.line(inside).toString());
    // The named signature file, not <model>/model.sig, is the one checked.
    assertId(run, absent, "absent", "unsigned");
    assertReasons(run, absent, "unsigned", "no signature file");
    String reportText = Files.readString(run.dir().resolve("report.jsonl"));
    assertTrue(reportText.contains("\"id\":\"hf:org/name@abc\""), reportText);
  }

  @Test
  void listLineNamesThePolicyRuleThatAppliesToIt() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("registry"));
    TestPems.KeyFiles vendorKey = TestPems.newEncryptedKey(tmp, "pw");
    Path team = signedWithDemoKey(Files.createDirectory(reg.resolve("team")), "a");
    Path vendorInTeam = SampleModels.copyOfSample(reg.resolve("team"), "b");
    signWith(vendorInTeam, vendorKey);
    Path vendorUnnamed = SampleModels.copyOfSample(reg, "c");
    signWith(vendorUnnamed, vendorKey);
    Path policy =
        Files.writeString(
            tmp.resolve("policy.json"),
            """
            {"policies": [
              {"name": "vendor", "verifier": "key", "publicKey": "%s"},
              {"name": "team", "prefix": "%s/", "verifier": "key", "publicKey": "%s"}
            ]}
            """
                .formatted(
                    vendorKey.publicKey(), reg.resolve("team"), SampleModels.demoPublicKey()));
    Path list =
        Files.writeString(
            tmp.resolve("models.jsonl"),
            String.join(
                "\n",
                team.toString(),
                "{\"model\": \"%s\", \"policy\": \"vendor\", \"id\": \"b\"}"
                    .formatted(vendorInTeam),
                vendorUnnamed.toString()));

    Report run =
        verifyRegistry(
            "--modelList=" + list, "--policyFile=" + policy, "--verifier=key", demoKey());

    assertEquals(1, run.cli().exitCode(), run.all());
    // Chosen by prefix: the rule's name is reported.
    assertReasons(run, team, "verified");
    assertEquals("team", run.line(team).path("policy").asText(), run.line(team).toString());
    // Named by the line: applies instead of the "team" prefix rule that also covers the model.
    assertReasons(run, vendorInTeam, "verified");
    assertEquals(
        "vendor",
        run.line(vendorInTeam).path("policy").asText(),
        run.line(vendorInTeam).toString());
    assertEquals("b", run.line(vendorInTeam).path("id").asText());
    // A named rule without a prefix covers no model by itself: the command-line policy applies.
    assertReasons(run, vendorUnnamed, "failed", "not the configured public key");
    assertFalse(run.line(vendorUnnamed).has("policy"), run.line(vendorUnnamed).toString());
  }

  static Stream<Arguments> badListsAndPolicies() {
    String named =
        "{\"policies\": [{\"name\": \"vendor\", \"verifier\": \"key\", \"publicKey\": \"k.pem\"}]}";
    return Stream.of(
        Arguments.of("{\"model\": \"%s\"", named, "line 3", "not valid JSON"),
        Arguments.of("{\"signature\": \"s.sig\"}", named, "line 3", "\"model\" is required"),
        Arguments.of(
            "{\"model\": \"%s\", \"sig\": \"s.sig\"}", named, "line 3", "unknown field \"sig\""),
        Arguments.of(
            "{\"model\": \"%s\", \"id\": 7}", named, "line 3", "\"id\" must be a non-empty string"),
        Arguments.of("[\"%s\"]", named, "line 3", "expected a model path or a JSON object"),
        Arguments.of(
            "{\"model\": \"%s\", \"policy\": \"nope\"}",
            named,
            "line 3",
            "\"policy\" names 'nope', but the --policyFile rules are named [vendor]"),
        Arguments.of(
            "{\"model\": \"%s\", \"policy\": \"vendor\"}",
            null, "line 3", "\"policy\" names 'vendor', but no --policyFile rule has a name"),
        Arguments.of("{\"model\": \"%s/\"}", named, "line 3", "is already listed on line 2"),
        Arguments.of(
            "# no third model",
            "{\"policies\": [{\"name\": \"vendor\", \"verifier\": \"key\", \"publicKey\": \"k.pem\"},"
                + " {\"name\": \"vendor\", \"verifier\": \"key\", \"publicKey\": \"k.pem\"}]}",
            "policies[1]",
            "the name 'vendor' is already used by another rule"),
        Arguments.of(
            "# no third model",
            "{\"policies\": [{\"name\": 3, \"verifier\": \"key\", \"publicKey\": \"k.pem\"}]}",
            "policies[0]",
            "\"name\" must be a non-empty string"),
        Arguments.of(
            "# no third model",
            "{\"policies\": [{\"name\": \"vendor\", \"verifier\": \"key\", \"publicKey\": \"k.pem\","
                + " \"ignoreUnsignedFile\": true}]}",
            "policies[0] (rule 'vendor')",
            "unknown key \"ignoreUnsignedFile\" (a rule may hold name, prefix, verifier,"),
        Arguments.of(
            "# no third model",
            "{\"policies\": [{\"verifier\": \"key\", \"publicKey\": \"k.pem\","
                + " \"ignoreUnsignedFiles\": \"yes\"}]}",
            "policies[0]",
            "\"ignoreUnsignedFiles\" must be true or false, found \"yes\""));
  }

  /**
   * With a policy file, command-line verifier options are the fallback rule: a missing key is
   * reported like any other option, not silently dropped.
   */
  @Test
  void aBrokenFallbackVerifierBesideAPolicyFileIsReported() throws Exception {
    Path reg = Files.createDirectory(tmp.resolve("reg"));
    signedWithDemoKey(reg, "a");
    Files.writeString(tmp.resolve("k.pem"), Files.readString(SampleModels.demoPublicKey()));
    Path policy =
        Files.writeString(
            tmp.resolve("policy.json"),
            "{\"policies\": [{\"prefix\": \"vendor/\", \"verifier\": \"key\","
                + " \"publicKey\": \"k.pem\"}]}");
    Path absent = tmp.resolve("absent.pem");
    Cli missingFile =
        Cli.run(
            "verify-registry",
            "--registry=" + reg,
            "--report=" + tmp.resolve("out"),
            "--policyFile=" + policy,
            "--verifier=key",
            "--publicKey=" + absent);
    assertEquals(2, missingFile.exitCode(), missingFile.all());
    assertTrue(
        missingFile.err().contains("--publicKey '" + absent + "' does not exist"),
        missingFile.all());
    Cli missingOption =
        Cli.run(
            "verify-registry",
            "--registry=" + reg,
            "--report=" + tmp.resolve("out"),
            "--policyFile=" + policy,
            "--verifier=key");
    assertEquals(2, missingOption.exitCode(), missingOption.all());
    assertTrue(missingOption.err().contains("--publicKey"), missingOption.all());
    assertFalse(Files.exists(tmp.resolve("out")), "nothing runs, nothing is written");
  }

  @ParameterizedTest
  @MethodSource("badListsAndPolicies")
  void badListLineOrPolicyRuleFailsAtLaunchNamingIt(
      String thirdLine, String policyText, String where, String problem) throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Files.writeString(tmp.resolve("k.pem"), Files.readString(SampleModels.demoPublicKey()));
    Path list =
        Files.writeString(
            tmp.resolve("models.jsonl"),
            "# line 1\n" + model + "\n" + thirdLine.formatted(model) + "\n");
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify-registry",
                "--modelList=" + list,
                "--report=" + tmp.resolve("out"),
                "--verifier=key",
                demoKey()));
    Path policyFile = null;
    if (policyText != null) {
      policyFile = Files.writeString(tmp.resolve("policy.json"), policyText);
      args.add("--policyFile=" + policyFile);
    }

    Cli run = Cli.run(args.toArray(String[]::new));

    assertEquals(2, run.exitCode(), run.all());
    String file = where.startsWith("line") ? list.toString() : String.valueOf(policyFile);
    assertTrue(run.err().contains(file), "names the file: " + run.all());
    assertTrue(run.err().contains(where), "names " + where + ": " + run.all());
    assertTrue(run.err().contains(problem), run.all());
    assertFalse(Files.exists(tmp.resolve("out")), "nothing runs, nothing is written");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** A finished verify-registry run: the CLI outcome, its report lines by model and summary. */
  private record Report(Cli cli, Path dir, Map<String, JsonNode> lines, JsonNode summary) {
    /** The CLI output and every report line, for assertion messages. */
    String all() {
      return cli.all()
          + "\nreport:\n"
          + String.join("\n", lines.values().stream().map(JsonNode::toString).toList());
    }

    JsonNode line(Path model) {
      JsonNode line = lines.get(model.toString());
      assertTrue(line != null, "no report line for " + model + " in " + lines.keySet());
      return line;
    }
  }

  private int reports = 0;

  private Report verifyRegistry(String... args) throws IOException {
    Path out = tmp.resolve("report-" + ++reports);
    List<String> all = new ArrayList<>(List.of("verify-registry", "--report=" + out));
    all.addAll(List.of(args));
    Cli cli = Cli.run(all.toArray(String[]::new));
    assertTrue(Files.exists(out.resolve("report.jsonl")), "no report: " + cli.all());
    Map<String, JsonNode> lines = new LinkedHashMap<>();
    for (String l : Files.readAllLines(out.resolve("report.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode n = Json.parse(l.getBytes(StandardCharsets.UTF_8), "report line");
      assertTrue(lines.put(n.path("model").asText(), n) == null, "one line per model: " + l);
    }
    JsonNode summary = Json.parse(Files.readAllBytes(out.resolve("summary.json")), "summary");
    assertEquals(lines.size(), summary.path("models").asLong(), summary.toString());
    return new Report(cli, out, lines, summary);
  }

  private static String demoKey() {
    return "--publicKey=" + SampleModels.demoPublicKey();
  }

  /** The line has this status and one reason per expected text, each containing that text. */
  private static void assertReasons(Report run, Path model, String status, String... reasons) {
    JsonNode line = run.line(model);
    assertEquals(status, line.path("status").asText(), line.toString());
    List<String> actual = new ArrayList<>();
    line.path("reasons").forEach(r -> actual.add(r.asText()));
    assertEquals(reasons.length, actual.size(), line.toString());
    for (int i = 0; i < reasons.length; i++) {
      assertTrue(actual.get(i).contains(reasons[i]), "reason " + i + " of " + line);
    }
  }

  private static void assertId(Report run, Path model, String id, String status) {
    JsonNode line = run.line(model);
    assertEquals(status, line.path("status").asText(), line.toString());
    assertEquals(id, line.path("id").asText(null), line.toString());
  }

  private static Path signedWithDemoKey(Path reg, String name) {
    Path model = SampleModels.copyOfSample(reg, name);
    Cli sign = SampleModels.signWithDemoKey(model);
    assertEquals(0, sign.exitCode(), sign.all());
    return model;
  }

  private void signWith(Path model, TestPems.KeyFiles key) throws IOException {
    Path pw = Files.writeString(tmp.resolve("pw.txt"), "pw");
    Cli sign =
        Cli.run(
            "sign",
            "--model=" + model,
            "--signer=key",
            "--privateKey=" + key.privateKey(),
            "--privateKeyPasswordFile=" + pw);
    assertEquals(0, sign.exitCode(), sign.all());
  }

  private static Path signKeyless(Path parent, String name, LoopbackSigstore sigstore, Path token)
      throws IOException {
    Path model = SampleModels.copyOfSample(Files.createDirectories(parent), name);
    Cli sign =
        Cli.run(
            "sign",
            "--model=" + model,
            "--signer=sigstore",
            "--sigstoreInstance=custom",
            "--trustedRoot=" + sigstore.trustedRoot(),
            "--signingConfig=" + sigstore.signingConfig(),
            "--identityTokenFile=" + token);
    assertEquals(0, sign.exitCode(), sign.all());
    return model;
  }

  private static JsonNode bundle(Path model) throws IOException {
    return Json.parse(Files.readAllBytes(model.resolve("model.sig")), "bundle");
  }

  private static String keyHint(Path signature) throws IOException {
    String hint =
        Json.parse(Files.readAllBytes(signature), "bundle")
            .path("verificationMaterial")
            .path("publicKey")
            .path("hint")
            .asText();
    assertTrue(hint.matches("[0-9a-f]{64}"), "key bundle hint: " + hint);
    return hint;
  }

  private static JsonNode logEntry(Path model) throws IOException {
    JsonNode entries = bundle(model).path("verificationMaterial").path("tlogEntries");
    assertEquals(1, entries.size(), entries.toString());
    return entries.get(0);
  }

  /** The genTime of the bundle's (only) RFC 3161 timestamp. */
  private static Instant timestampOf(Path model) throws Exception {
    JsonNode stamps =
        bundle(model)
            .path("verificationMaterial")
            .path("timestampVerificationData")
            .path("rfc3161Timestamps");
    assertEquals(1, stamps.size(), stamps.toString());
    byte[] der = Base64.getDecoder().decode(stamps.get(0).path("signedTimestamp").asText());
    return new TimeStampResponse(der)
        .getTimeStampToken()
        .getTimeStampInfo()
        .getGenTime()
        .toInstant();
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
