package dev.modelsigning.pipeline;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.pipeline.io.ModelLocation;
import dev.modelsigning.pipeline.io.RegistryQuery;
import dev.modelsigning.pipeline.options.VerifyRegistryOptions;
import dev.modelsigning.pipeline.transforms.VerifyRegistry;
import dev.modelsigning.pipeline.transforms.WriteReport;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Re-verifies every signed model of a registry and writes a JSONL report. The main class of the
 * {@code verify-registry} Flex Template; the job fails when a model does not verify.
 */
public final class VerifyRegistryPipeline {
  private VerifyRegistryPipeline() {}

  public static void main(String[] args) {
    VerifyRegistryOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(VerifyRegistryOptions.class);
    create(options).run().waitUntilFinish();
  }

  public static Pipeline create(VerifyRegistryOptions options) {
    FileSystems.setDefaultPipelineOptions(options);
    if ((options.getRegistry() == null) == (options.getModelList() == null)) {
      throw new InvalidInputException("give exactly one of --registry and --modelList");
    }
    String registry =
        options.getRegistry() == null ? null : ModelLocation.of(options.getRegistry()).root();
    String output = ModelLocation.of(options.getOutput()).root();
    if (registry != null && output.startsWith(registry + "/")) {
      // The report must never land inside a model, where it would become an "extra file".
      throw new InvalidInputException("--output must be outside the registry");
    }
    RegistryQuery query =
        new RegistryQuery(
            registry,
            options.getModelList(),
            options.getSignatureName(),
            options.getRequireSigned() ? options.getModelMarker() : null);
    List<String> ignores = options.getIgnorePaths() == null ? List.of() : options.getIgnorePaths();
    Pipeline p = Pipeline.create(options);
    p.apply("VerifyRegistry", new VerifyRegistry(query, VerifierSpec.from(options), ignores))
        .apply(
            "Report", new WriteReport(output, options.getFailOnInvalid(), options.getResultFile()));
    return p;
  }
}
