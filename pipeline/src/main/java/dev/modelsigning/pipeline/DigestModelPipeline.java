package dev.modelsigning.pipeline;

import dev.modelsigning.beam.transforms.DigestModel;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.pipeline.options.DigestModelOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** The digest job: the model's subject digest, as model_signing's digest command prints it. */
public final class DigestModelPipeline {
  private DigestModelPipeline() {}

  public static void main(String[] args) {
    DigestModelOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(DigestModelOptions.class);
    // No waitUntilFinish(): a Flex Template launcher must exit once the job is submitted. The
    // DirectRunner blocks in run() (blockOnRun) and throws when the job fails, so a local
    // 'java -cp model-signing.jar <main>' still exits non-zero on failure.
    create(options).run();
  }

  public static Pipeline create(DigestModelOptions options) {
    ModelLocation model = ModelJobs.location(options);
    String signature = ModelJobs.signatureLocation(options, model);
    Pipeline p = Pipeline.create(options);
    p.apply(
        "DigestModel",
        new DigestModel(
            ModelJobs.hashRequest(options, options, model, signature), options.getResultFile()));
    return p;
  }
}
