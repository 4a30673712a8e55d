package dev.modelsigning.pipeline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.beam.io.MaterialFiles;
import dev.modelsigning.beam.transforms.PublishResult;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.beam.values.RegistrySummary;
import dev.modelsigning.core.format.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.metrics.StringSetResult;
import org.jspecify.annotations.Nullable;

/**
 * A finished job's result as the launcher gets it back: from the job's metrics (which every runner
 * carries back, also from other machines), else from {@code --resultFile}.
 *
 * @param results the sign, verify or digest results
 * @param summary the registry summary, or null
 */
record JobResults(List<ModelResult> results, @Nullable RegistrySummary summary) {

  static JobResults of(PipelineResult job, @Nullable String resultFile) {
    List<String> models = published(job, PublishResult.MODEL_RESULT);
    List<String> summaries = published(job, PublishResult.REGISTRY_SUMMARY);
    if (models.isEmpty() && summaries.isEmpty() && resultFile != null && !resultFile.isEmpty()) {
      // A runner that drops metrics: the job also wrote its result where it was asked to.
      String json =
          new String(
              MaterialFiles.read("--resultFile", resultFile, 1 << 20), StandardCharsets.UTF_8);
      if (json.contains("\"report\"")) {
        summaries = List.of(json);
      } else {
        models = List.of(json);
      }
    }
    return new JobResults(
        models.stream().map(ModelResult::fromJson).toList(),
        summaries.isEmpty() ? null : RegistrySummary.fromJson(summaries.get(0)));
  }

  private static List<String> published(PipelineResult job, String name) {
    List<String> values = new ArrayList<>();
    MetricQueryResults metrics;
    try {
      metrics =
          job.metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named(PublishResult.NAMESPACE, name))
                      .build());
    } catch (UnsupportedOperationException e) {
      return values; // this runner reports no metrics
    }
    for (MetricResult<StringSetResult> r : metrics.getStringSets()) {
      StringSetResult attempted = r.getAttempted();
      if (attempted != null) {
        values.addAll(attempted.getStringSet());
      }
    }
    return values;
  }

  static JobResults of(ModelResult result) {
    return new JobResults(List.of(result), null);
  }

  /** What the user sees: the digest on stdout, counts and locations on stderr. */
  void print(PrintStream out, PrintStream err) {
    if (summary != null) {
      out.println(summary.describe());
      return;
    }
    if (results.isEmpty()) {
      err.println(
          "the job succeeded but its runner reported no result; pass --resultFile=<location every"
              + " worker can write> to get it");
      return;
    }
    for (ModelResult r : results) {
      if (r.action() == ModelResult.Action.VERIFIED) {
        out.println("Verified " + r.model() + " (signed by " + r.signer() + ")");
      }
      out.println(r.subjectDigest());
      err.println(
          r.files()
              + " files, "
              + r.bytes()
              + " bytes"
              + (r.action() == ModelResult.Action.SIGNED
                  ? "; signature written to " + r.signature()
                  : ""));
      if (!r.ignoredUnsignedFiles().isEmpty()) {
        err.println(
            "ignored "
                + r.ignoredUnsignedFiles().size()
                + " file(s) the signature does not list: "
                + String.join(", ", r.ignoredUnsignedFiles()));
      }
      r.notes().forEach(n -> err.println("note: " + n));
    }
  }

  /** One JSON object on stdout: the result, with {@code "status": "ok"}. */
  void printJson(PrintStream out) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("status", "ok");
    if (summary != null) {
      node.setAll((ObjectNode) Json.MAPPER.valueToTree(summary));
    } else if (!results.isEmpty()) {
      node.setAll((ObjectNode) Json.MAPPER.valueToTree(results.get(0)));
    }
    out.println(node.toString());
  }
}
