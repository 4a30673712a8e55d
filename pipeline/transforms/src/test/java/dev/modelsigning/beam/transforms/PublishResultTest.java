package dev.modelsigning.beam.transforms;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.beam.values.RegistrySummary;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.metrics.StringSetResult;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * PublishResult hands the result back to the launcher as the StringSet metric
 * model-signing/modelResult (or registrySummary) holding its JSON, and toFile writes the same JSON.
 */
public class PublishResultTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static Set<String> published(PipelineResult result, String name) {
    Set<String> values = new HashSet<>();
    for (MetricResult<StringSetResult> m :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("model-signing", name))
                    .build())
            .getStringSets()) {
      values.addAll(m.getCommitted().getStringSet());
    }
    return values;
  }

  @Test
  public void modelResultIsTheMetricAndTheFile() throws IOException {
    ModelResult sent =
        new ModelResult(
            ModelResult.Action.VERIFIED,
            "/models/m",
            "sha256:0123abcd",
            3,
            100,
            4,
            "/models/m/model.sig",
            "key hint 42",
            List.of("notes.txt"),
            List.of("a timestamp was set aside"));
    Path file = tmp.getRoot().toPath().resolve("result.json");
    p.apply(Create.of(sent).withCoder(SerializableCoder.of(ModelResult.class)))
        .apply(PublishResult.modelResult().toFile(file.toString()));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    Set<String> metric = published(result, "modelResult");
    assertEquals(metric.toString(), 1, metric.size());
    String json = metric.iterator().next();
    assertEquals(sent, ModelResult.fromJson(json));
    JsonNode n = Json.MAPPER.readTree(json);
    assertEquals("VERIFIED", n.get("action").asText());
    assertEquals("/models/m", n.get("model").asText());
    assertEquals("sha256:0123abcd", n.get("subjectDigest").asText());
    assertEquals(100, n.get("bytes").asLong());
    assertEquals("notes.txt", n.get("ignoredUnsignedFiles").get(0).asText());
    assertEquals(json, Files.readString(file));
    assertEquals(Set.of(), published(result, "registrySummary"));
  }

  @Test
  public void registrySummaryIsItsOwnMetricAndTheFile() throws IOException {
    RegistrySummary sent = new RegistrySummary(6, 2, 1, 3, 0, "/reports/report.jsonl");
    Path file = tmp.getRoot().toPath().resolve("summary-result.json");
    p.apply(Create.of(sent).withCoder(SerializableCoder.of(RegistrySummary.class)))
        .apply(PublishResult.registrySummary().toFile(file.toString()));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    Set<String> metric = published(result, "registrySummary");
    assertEquals(metric.toString(), 1, metric.size());
    String json = metric.iterator().next();
    assertEquals(sent, RegistrySummary.fromJson(json));
    assertEquals(3, Json.MAPPER.readTree(json).get("unsigned").asLong());
    assertEquals(json, Files.readString(file));
    assertEquals(Set.of(), published(result, "modelResult"));
  }

  @Test
  public void withoutToFileOnlyTheMetric() {
    ModelResult sent =
        new ModelResult(
            ModelResult.Action.DIGESTED, "/m", "sha256:00", 1, 1, 1, null, null, null, null);
    p.apply(Create.of(sent).withCoder(SerializableCoder.of(ModelResult.class)))
        .apply(PublishResult.modelResult());
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(Set.of(sent.toJson()), published(result, "modelResult"));
    assertEquals(0, tmp.getRoot().list().length);
  }
}
