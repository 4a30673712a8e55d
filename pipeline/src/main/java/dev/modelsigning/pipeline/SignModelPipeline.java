package dev.modelsigning.pipeline;

import dev.modelsigning.beam.transforms.PublishResult;
import dev.modelsigning.beam.transforms.SignModel;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.pipeline.options.SignModelOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;

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
    ModelLocation model = ModelJobs.location(options, SignModelOptions.class);
    String signature = ModelJobs.signatureLocation(options, model);
    ModelRequest request = ModelJobs.hashRequest(options, options, model, signature);
    Pipeline p = Pipeline.create(options);
    p.apply("Model", Create.of(request).withCoder(SerializableCoder.of(ModelRequest.class)))
        .apply(
            "SignModel",
            SignModel.with(JobSpecs.signer(options))
                .withOverwrite(options.getOverwrite())
                .withHashing(ModelJobs.hashing(options)))
        .apply("Result", PublishResult.modelResult().toFile(options.getResultFile()));
    return p;
  }
}
