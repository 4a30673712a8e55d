package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.RegistryScanner;
import dev.modelsigning.beam.spec.RegistryPolicy;
import dev.modelsigning.beam.values.FoundModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.RegistryQuery;
import dev.modelsigning.beam.values.ReportLine;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies every model of a registry. Models are checked independently: a bad bundle, missing file
 * or unreadable object yields that model's report line, never a failed job. All models' hashing
 * units are spread over the workers together.
 */
public class VerifyRegistry extends PTransform<PBegin, PCollection<ReportLine>> {
  private static final int MODEL_BUCKETS = 1024;

  private final RegistryQuery query;
  private final RegistryPolicy policy;
  private final List<String> userIgnorePaths;
  private final HashModels hashing;

  private VerifyRegistry(
      RegistryQuery query,
      RegistryPolicy policy,
      List<String> userIgnorePaths,
      HashModels hashing) {
    this.query = query;
    this.policy = policy;
    this.userIgnorePaths = List.copyOf(userIgnorePaths);
    this.hashing = hashing;
  }

  /** Verifies the models the query finds, each under the policy's rule for it. */
  public static VerifyRegistry of(RegistryQuery query, RegistryPolicy policy) {
    return new VerifyRegistry(query, policy, List.of(), HashModels.collectingErrors());
  }

  /**
   * Extra paths to leave out of every model, for signatures that did not record their ignore paths
   * (model_signing before v1.1).
   */
  public VerifyRegistry withIgnorePaths(List<String> paths) {
    return new VerifyRegistry(query, policy, paths, hashing);
  }

  /** Hash with these settings (batch size, buffer); errors must be collected per model. */
  public VerifyRegistry withHashing(HashModels hashing) {
    return new VerifyRegistry(query, policy, userIgnorePaths, hashing);
  }

  @Override
  public PCollection<ReportLine> expand(PBegin begin) {
    PCollectionTuple checked =
        begin
            .apply(
                "Registry", Create.of(query).withCoder(SerializableCoder.of(RegistryQuery.class)))
            .apply("FindModels", ParDo.of(new FindModelsFn()))
            .setCoder(SerializableCoder.of(FoundModel.class))
            // Models are many and small: a bounded number of buckets spreads them over every
            // worker without one key (and one runner timer) per model.
            .apply(
                "SpreadModels", Reshuffle.<FoundModel>viaRandomKey().withNumBuckets(MODEL_BUCKETS))
            .apply(
                "CheckSignatures",
                ParDo.of(new CheckSignatureFn(policy, userIgnorePaths))
                    .withOutputTags(
                        CheckSignatureFn.TO_HASH, TupleTagList.of(CheckSignatureFn.DECIDED)));
    PCollection<ReportLine> rehashed =
        checked
            .get(CheckSignatureFn.TO_HASH)
            .setCoder(SerializableCoder.of(ModelRequest.class))
            .apply("Hash", hashing)
            .apply("Compare", ParDo.of(new CompareToReportFn()));
    PCollection<ReportLine> decided =
        checked.get(CheckSignatureFn.DECIDED).setCoder(SerializableCoder.of(ReportLine.class));
    return PCollectionList.of(decided)
        .and(rehashed)
        .apply("AllModels", Flatten.pCollections())
        .setCoder(SerializableCoder.of(ReportLine.class));
  }

  static class FindModelsFn extends DoFn<RegistryQuery, FoundModel> {
    private static final Logger LOG = LoggerFactory.getLogger(FindModelsFn.class);

    @ProcessElement
    public void process(@Element RegistryQuery q, OutputReceiver<FoundModel> out) {
      List<FoundModel> models =
          q.listed() != null
              ? q.listed()
              : RegistryScanner.scan(
                  Objects.requireNonNull(q.registry(), "a scan names a registry"),
                  Objects.requireNonNull(q.signatureName(), "a scan names a signature file"),
                  q.markerGlob());
      LOG.info(
          "Found {} models in {}",
          models.size(),
          q.listed() != null ? "the model list" : q.registry());
      models.forEach(out::output);
    }
  }
}
