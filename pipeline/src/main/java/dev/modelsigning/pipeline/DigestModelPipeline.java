package dev.modelsigning.pipeline;

import dev.modelsigning.beam.transforms.DigestModel;
import dev.modelsigning.beam.transforms.PublishResult;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.pipeline.options.DigestModelOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;

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
    ModelLocation model = ModelJobs.location(options, DigestModelOptions.class);
    // As model_signing's digest: the signature file is hashed unless ignored explicitly.
    ModelRequest request = ModelJobs.hashRequest(options, options, model, null);
    Pipeline p = Pipeline.create(options);
    p.apply("Model", Create.of(request).withCoder(SerializableCoder.of(ModelRequest.class)))
        .apply("DigestModel", DigestModel.create().withHashing(ModelJobs.hashing(options)))
        .apply("Result", PublishResult.modelResult().toFile(options.getResultFile()));
    return p;
  }
}
