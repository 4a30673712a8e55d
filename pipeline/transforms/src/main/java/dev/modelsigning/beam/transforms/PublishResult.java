package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.ResultFiles;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.beam.values.RegistrySummary;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.StringSet;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.jspecify.annotations.Nullable;

/**
 * Hands a job's result back to whoever launched it. A runner gives no element back to the program
 * that started the job, and on a cluster the worker that produced the result shares no disk with
 * the launcher; so the result is published as a Beam metric (which every runner carries back to the
 * launcher's {@code PipelineResult}) and, when asked, also written to a file wherever Beam can
 * write ({@code --resultFile}, e.g. in a bucket for a workflow engine to read).
 */
public final class PublishResult<T extends Serializable> extends PTransform<PCollection<T>, PDone> {
  /** Metric namespace of everything this project reports. */
  public static final String NAMESPACE = "model-signing";

  /** StringSet metric holding a sign, verify or digest job's {@link ModelResult} as JSON. */
  public static final String MODEL_RESULT = "modelResult";

  /** StringSet metric holding a registry job's {@link RegistrySummary} as JSON. */
  public static final String REGISTRY_SUMMARY = "registrySummary";

  private final String metric;
  private final SerializableFunction<T, String> toJson;
  private final @Nullable String resultFile;

  private PublishResult(
      String metric, SerializableFunction<T, String> toJson, @Nullable String resultFile) {
    this.metric = metric;
    this.toJson = toJson;
    this.resultFile = resultFile;
  }

  public static PublishResult<ModelResult> modelResult() {
    return new PublishResult<>(MODEL_RESULT, ModelResult::toJson, null);
  }

  public static PublishResult<RegistrySummary> registrySummary() {
    return new PublishResult<>(REGISTRY_SUMMARY, RegistrySummary::toJson, null);
  }

  /**
   * Also writes the result, one line of JSON, to this location (local, gs://, s3://); null or empty
   * writes no file.
   */
  public PublishResult<T> toFile(@Nullable String location) {
    return new PublishResult<>(metric, toJson, location);
  }

  @Override
  public PDone expand(PCollection<T> results) {
    results.apply("Publish", ParDo.of(new PublishFn<>(metric, toJson, resultFile)));
    return PDone.in(results.getPipeline());
  }

  private static final class PublishFn<T> extends DoFn<T, Void> {
    private final SerializableFunction<T, String> toJson;
    private final @Nullable String resultFile;
    private final StringSet published;

    PublishFn(String metric, SerializableFunction<T, String> toJson, @Nullable String resultFile) {
      this.toJson = toJson;
      this.resultFile = resultFile;
      this.published = Metrics.stringSet(NAMESPACE, metric);
    }

    @ProcessElement
    public void process(@Element T result) {
      String json = toJson.apply(result);
      if (resultFile != null && !resultFile.isEmpty()) {
        ResultFiles.write(resultFile, json);
      }
      published.add(json);
    }
  }
}
