package dev.modelsigning.beam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.beam.spec.RegistryPolicy;
import dev.modelsigning.beam.values.RegistryQuery;
import dev.modelsigning.beam.values.RegistrySummary;
import dev.modelsigning.beam.values.ReportLine;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.local.ModelSigning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * VerifyRegistry over a local registry of two intact signed models, one signed model changed after
 * signing and three unsigned ones (found by their config.json marker), then WriteReport: one report
 * line per model with its status, the counts, and report.jsonl / summary.json on disk.
 */
public class VerifyRegistryTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private Path registry;
  private Path out;

  /** Model root to its expected status. */
  private final HashMap<String, ReportLine.Status> expected = new HashMap<>();

  /** Signed model root to the digest and file count the core signed. */
  private final HashMap<String, String> signedDigest = new HashMap<>();

  private final HashMap<String, Long> signedFiles = new HashMap<>();

  @Before
  public void buildRegistry() throws IOException {
    registry = tmp.newFolder("registry").toPath();
    out = tmp.newFolder("out").toPath();
    for (String name : List.of("team-a/ok-1", "team-b/ok-2", "team-b/changed")) {
      Path model = TestModels.small(registry, name);
      ModelSigning.SignedModel s = TestModels.signWithCore(model);
      signedDigest.put(model.toString(), TestModels.sha256(s.manifest()));
      signedFiles.put(model.toString(), s.files());
      expected.put(model.toString(), ReportLine.Status.VERIFIED);
    }
    Path changed = registry.resolve("team-b/changed");
    TestModels.tamper(changed.resolve("weights/w.bin"));
    expected.put(changed.toString(), ReportLine.Status.FAILED);
    for (String name : List.of("raw-1", "raw-2", "team-a/raw-3")) {
      expected.put(TestModels.small(registry, name).toString(), ReportLine.Status.UNSIGNED);
    }
  }

  private PCollection<ReportLine> verifyRegistry() {
    return p.apply(
        VerifyRegistry.of(
            RegistryQuery.scan(registry.toString(), "model.sig", "config.json"),
            RegistryPolicy.single(TestModels.keyVerifier())));
  }

  private RegistrySummary expectedSummary() {
    return new RegistrySummary(6, 2, 1, 3, 0, out + "/report.jsonl");
  }

  @Test
  public void reportsEveryModelOnceWithItsStatus() throws IOException {
    PCollection<ReportLine> lines = verifyRegistry();
    PCollection<RegistrySummary> summary = lines.apply(WriteReport.to(out.toString()));
    Map<String, ReportLine.Status> statuses = expected;
    Map<String, String> digests = signedDigest;
    Map<String, Long> files = signedFiles;

    PAssert.that(lines)
        .satisfies(
            all -> {
              Map<String, ReportLine.Status> got = new HashMap<>();
              for (ReportLine l : all) {
                assertEquals("model twice: " + l.model(), null, got.put(l.model(), l.status()));
                switch (l.status()) {
                  case VERIFIED -> {
                    assertEquals(digests.get(l.model()), l.subjectDigest());
                    assertEquals((long) files.get(l.model()), l.files());
                    assertNotNull(l.signer());
                    assertEquals(List.of(), l.reasons());
                  }
                  case FAILED ->
                      assertTrue(
                          l.reasons().toString(),
                          String.join(" ", l.reasons()).contains("weights/w.bin"));
                  default -> assertEquals(1, l.reasons().size());
                }
              }
              assertEquals(statuses, got);
              return null;
            });
    PAssert.thatSingleton(summary).isEqualTo(expectedSummary());
    p.run();

    List<String> report = Files.readAllLines(out.resolve("report.jsonl"));
    Map<String, String> reported = new HashMap<>();
    for (String line : report) {
      JsonNode n = Json.MAPPER.readTree(line);
      reported.put(n.get("model").asText(), n.get("status").asText());
    }
    assertEquals(expected.size(), report.size());
    Map<String, String> labels = new HashMap<>();
    expected.forEach((m, s) -> labels.put(m, s.name().toLowerCase(java.util.Locale.ROOT)));
    assertEquals(labels, reported);
    assertEquals(
        expectedSummary(), RegistrySummary.fromJson(Files.readString(out.resolve("summary.json"))));
  }

  @Test
  public void failingOnInvalidFailsTheJobAfterWritingTheReport() {
    verifyRegistry().apply(WriteReport.to(out.toString()).failingOnInvalid(true));
    Throwable thrown = assertThrows(RuntimeException.class, p::run);
    Throwable cause = thrown;
    while (cause != null && !(cause instanceof VerificationException)) {
      cause = cause.getCause();
    }
    assertNotNull("no VerificationException in " + thrown, cause);
    assertTrue(cause.getMessage(), cause.getMessage().contains("4 of 6 models did not verify"));
    assertTrue(Files.exists(out.resolve("report.jsonl")));
    assertEquals(
        expectedSummary(), RegistrySummary.fromJson(readQuietly(out.resolve("summary.json"))));
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new AssertionError("no " + file, e);
    }
  }
}
