package dev.modelsigning.pipeline;

import dev.modelsigning.beam.transforms.VerifyModel;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.VerifyRequest;
import dev.modelsigning.pipeline.options.VerifyModelOptions;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** The single-model verification job: check the bundle's signature, then re-hash the model. */
public final class VerifyModelPipeline {
  private VerifyModelPipeline() {}

  public static void main(String[] args) {
    VerifyModelOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(VerifyModelOptions.class);
    // No waitUntilFinish(): a Flex Template launcher must exit once the job is submitted. The
    // DirectRunner blocks in run() (blockOnRun) and throws when the job fails, so a local
    // 'java -cp model-signing.jar <main>' still exits non-zero on failure.
    create(options).run();
  }

  public static Pipeline create(VerifyModelOptions options) {
    ModelLocation model = ModelJobs.location(options);
    String signature = ModelJobs.signatureLocation(options, model);
    List<String> ignores = options.getIgnorePaths() == null ? List.of() : options.getIgnorePaths();
    Pipeline p = Pipeline.create(options);
    p.apply(
        "VerifyModel",
        new VerifyModel(
            new VerifyRequest(model, signature, ModelJobs.relativeToModel(model, ignores)),
            JobSpecs.verifier(options),
            options.getResultFile()));
    return p;
  }
}
