package dev.modelsigning.pipeline.cli;

import dev.modelsigning.beam.io.MaterialFiles;
import dev.modelsigning.beam.transforms.PublishResult;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.beam.values.RegistrySummary;
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

/**
 * A finished job's result as the launcher gets it back: from the job's metrics (which every runner
 * carries back, also from other machines), else from {@code --resultFile}.
 *
 * @param results the sign, verify or digest results
 * @param summary the registry summary, or null
 */
record JobResults(List<ModelResult> results, RegistrySummary summary) {

  static JobResults of(PipelineResult job, String resultFile) {
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
    }
  }
}
