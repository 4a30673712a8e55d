package dev.modelsigning.pipeline;

import dev.modelsigning.beam.transforms.SignModel;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.pipeline.options.SignModelOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The signing job: hash a model across workers, sign its manifest once, write the bundle beside it.
 * The main class of the {@code sign} Flex Template.
 */
public final class SignModelPipeline {
  private SignModelPipeline() {}

  public static void main(String[] args) {
    SignModelOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(SignModelOptions.class);
    // No waitUntilFinish(): a Flex Template launcher must exit once the job is submitted. The
    // DirectRunner blocks in run() (blockOnRun) and throws when the job fails, so a local
    // 'java -cp model-signing.jar <main>' still exits non-zero on failure.
    create(options).run();
  }

  public static Pipeline create(SignModelOptions options) {
    ModelLocation model = ModelJobs.location(options);
    String signature = ModelJobs.signatureLocation(options, model);
    Pipeline p = Pipeline.create(options);
    p.apply(
        "SignModel",
        new SignModel(
            ModelJobs.hashRequest(options, options, model, signature),
            JobSpecs.signer(options),
            signature,
            options.getOverwrite(),
            options.getResultFile()));
    return p;
  }
}
