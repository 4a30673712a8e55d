package dev.modelsigning.pipeline;

import dev.modelsigning.beam.transforms.PublishResult;
import dev.modelsigning.beam.transforms.VerifyModel;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.VerifyRequest;
import dev.modelsigning.core.verify.UnsignedFiles;
import dev.modelsigning.pipeline.options.VerifyModelOptions;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;

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
    ModelLocation model = ModelJobs.location(options, VerifyModelOptions.class);
    String signature = ModelJobs.signatureLocation(options, model);
    List<String> ignores = options.getIgnorePaths() == null ? List.of() : options.getIgnorePaths();
    VerifyRequest request =
        new VerifyRequest(
            model,
            signature,
            ModelJobs.relativeToModel(model, ignores),
            options.getIgnoreUnsignedFiles() ? UnsignedFiles.IGNORE : UnsignedFiles.REFUSE);
    Pipeline p = Pipeline.create(options);
    p.apply("Model", Create.of(request).withCoder(SerializableCoder.of(VerifyRequest.class)))
        .apply(
            "VerifyModel",
            VerifyModel.with(JobSpecs.verifier(options)).withHashing(ModelJobs.hashing(options)))
        .apply("Result", PublishResult.modelResult().toFile(options.getResultFile()));
    return p;
  }
}
