package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.format.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --ignoreUnsignedFiles} (model_signing's {@code --ignore_unsigned_files}) on both engines
 * and in registry runs: files the signature does not list are set aside unopened and named, never
 * hashed, so an unsigned FIFO cannot block the verifier and a large unsigned file costs nothing.
 * Signed files still fail when changed.
 */
class UnsignedFilesCliTest {
  /** The in-process engine (no Beam option) and the Beam DirectRunner. */
  private static final String LOCAL = "local";

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {LOCAL, "--runner=DirectRunner"})
  void unsignedFilesFailByDefaultAndAreSetAsideWhenTolerated(String engine) throws Exception {
    Path model = signedModelWithUnsignedFiles();

    Cli strict = verify(engine, model);
    // Without the option the listing rules run on every file: the FIFO is refused, unopened.
    assertEquals(1, strict.exitCode(), strict.all());
    assertTrue(strict.err().contains("'pipe' is not a regular file"), strict.all());

    Cli tolerant = verify(engine, model, "--ignoreUnsignedFiles", "--output=json");
    assertEquals(0, tolerant.exitCode(), tolerant.all());
    JsonNode result = Json.MAPPER.readTree(tolerant.out());
    assertEquals("VERIFIED", result.path("action").asText(), tolerant.out());
    assertEquals(List.of("notes/extra.md", "pipe"), strings(result.path("ignoredUnsignedFiles")));
    // Only the five signed files were hashed: the unsigned ones were never opened.
    assertEquals(5, result.path("files").asLong(), tolerant.out());

    Cli text = verify(engine, model, "--ignoreUnsignedFiles");
    assertEquals(0, text.exitCode(), text.all());
    assertTrue(
        text.err().contains("ignored 2 file(s) the signature does not list: notes/extra.md, pipe"),
        text.all());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {LOCAL, "--runner=DirectRunner"})
  void aChangedSignedFileStillFails(String engine) throws Exception {
    Path model = signedModelWithUnsignedFiles();
    SampleModels.flipByte(model.resolve("config.json"), 3);
    Cli v = verify(engine, model, "--ignoreUnsignedFiles");
    assertEquals(1, v.exitCode(), v.all());
    assertTrue(v.err().contains("config.json"), v.all());
  }

  @Test
  void registryRunsReportTheFilesTheySetAside() throws Exception {
    Path model = signedModelWithUnsignedFiles();
    Path report = tmp.resolve("report");
    Cli run =
        assertTimeoutPreemptively(
            Duration.ofSeconds(120),
            () ->
                Cli.run(
                    "verify-registry",
                    "--registry=" + model.getParent(),
                    "--report=" + report,
                    "--verifier=key",
                    "--publicKey=" + SampleModels.demoPublicKey(),
                    "--ignoreUnsignedFiles"));
    assertEquals(0, run.exitCode(), run.all());
    List<String> lines = Files.readAllLines(report.resolve("report.jsonl"), StandardCharsets.UTF_8);
    assertEquals(1, lines.size(), lines.toString());
    JsonNode line = Json.MAPPER.readTree(lines.get(0));
    assertEquals("verified", line.path("status").asText(), line.toString());
    assertEquals(List.of("notes/extra.md", "pipe"), strings(line.path("ignoredUnsignedFiles")));
  }

  /** The sample model signed with the demo key, then an unsigned note and an unsigned FIFO. */
  private Path signedModelWithUnsignedFiles() throws Exception {
    Path model = SampleModels.copyOfSample(Files.createDirectories(tmp.resolve("registry")), "m");
    Cli sign = SampleModels.signWithDemoKey(model);
    assertEquals(0, sign.exitCode(), sign.all());
    Files.createDirectories(model.resolve("notes"));
    Files.writeString(model.resolve("notes/extra.md"), "added after signing");
    assumeTrue(HostileInputCliTest.mkfifo(model.resolve("pipe")), "mkfifo is not available");
    return model;
  }

  private static Cli verify(String engine, Path model, String... extra) {
    List<String> args = new ArrayList<>(List.of(extra));
    if (!engine.equals(LOCAL)) {
      args.add(engine);
    }
    // A FIFO that was opened would block forever: bound the wait.
    return assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> SampleModels.verifyWithDemoKey(model, args.toArray(String[]::new)));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
