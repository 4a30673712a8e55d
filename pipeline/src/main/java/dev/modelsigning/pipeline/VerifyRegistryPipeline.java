package dev.modelsigning.pipeline;

import dev.modelsigning.beam.io.JobFileSystems;
import dev.modelsigning.beam.io.RegistryScanner;
import dev.modelsigning.beam.spec.RegistryPolicy;
import dev.modelsigning.beam.spec.VerifierSpec;
import dev.modelsigning.beam.transforms.HashModels;
import dev.modelsigning.beam.transforms.PublishResult;
import dev.modelsigning.beam.transforms.VerifyRegistry;
import dev.modelsigning.beam.transforms.WriteReport;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.RegistryQuery;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.verify.UnsignedFiles;
import dev.modelsigning.pipeline.options.VerifyRegistryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.jspecify.annotations.Nullable;

/**
 * Re-verifies every signed model of a registry and writes a JSONL report. The main class of the
 * {@code verify-registry} Flex Template; the job fails when a model does not verify.
 */
public final class VerifyRegistryPipeline {
  private VerifyRegistryPipeline() {}

  public static void main(String[] args) {
    VerifyRegistryOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(VerifyRegistryOptions.class);
    // No waitUntilFinish(): a Flex Template launcher must exit once the job is submitted. The
    // DirectRunner blocks in run() (blockOnRun) and throws when the job fails, so a local
    // 'java -cp model-signing.jar <main>' still exits non-zero on failure.
    create(options).run();
  }

  /** The policy file's rules if given, with the command-line policy as the fallback. */
  static RegistryPolicy policy(VerifyRegistryOptions options, @Nullable String registry) {
    UnsignedFiles unsigned =
        options.getIgnoreUnsignedFiles() ? UnsignedFiles.IGNORE : UnsignedFiles.REFUSE;
    if (options.getPolicyFile() == null) {
      return RegistryPolicy.single(JobSpecs.verifier(options)).withFallbackUnsignedFiles(unsigned);
    }
    // Without verifier options the policy file must cover every model; with them, they are the
    // fallback and are checked like any other option (a typo or a missing key is reported).
    VerifierSpec fallback = namesAVerifier(options) ? JobSpecs.verifier(options) : null;
    return RegistryPolicy.read(options.getPolicyFile(), registry, fallback)
        .withFallbackUnsignedFiles(unsigned);
  }

  private static boolean namesAVerifier(VerifyRegistryOptions o) {
    return !"sigstore".equals(o.getVerifier())
        || Stream.of(
                o.getPublicKey(),
                o.getCaCertificates(),
                o.getIdentity(),
                o.getIdentityRegexp(),
                o.getIdentityProvider(),
                o.getIdentityProviderRegexp())
            .anyMatch(Objects::nonNull);
  }

  public static Pipeline create(VerifyRegistryOptions options) {
    List<String> locations =
        new ArrayList<>(OptionLocations.of(options, VerifyRegistryOptions.class));
    if (options.getModelList() != null || options.getPolicyFile() != null) {
      locations.add(null); // what those files name is not known yet: S3 may be used
    }
    JobFileSystems.register(options, locations.toArray(String[]::new));
    if ((options.getRegistry() == null) == (options.getModelList() == null)) {
      throw new InvalidInputException("give exactly one of --registry and --modelList");
    }
    String registry =
        options.getRegistry() == null ? null : ModelLocation.of(options.getRegistry()).root();
    String output = ModelLocation.of(options.getReport()).root();
    if (registry != null && output.startsWith(registry + "/")) {
      // The report must never land inside a model, where it would become an "extra file".
      throw new InvalidInputException("--report must be outside the registry");
    }
    RegistryPolicy policy = policy(options, registry);
    RegistryQuery query =
        registry != null
            ? RegistryQuery.scan(
                registry,
                options.getSignatureName(),
                options.getRequireSigned() ? options.getModelMarker() : null)
            : RegistryQuery.listed(
                RegistryScanner.fromList(
                    options.getModelList(), options.getSignatureName(), policy.ruleNames()));
    List<String> ignores = options.getIgnorePaths() == null ? List.of() : options.getIgnorePaths();
    Pipeline p = Pipeline.create(options);
    p.apply(
            "VerifyRegistry",
            VerifyRegistry.of(query, policy)
                .withIgnorePaths(ignores)
                .withHashing(ModelJobs.withBatchTarget(HashModels.collectingErrors(), options)))
        .apply("Report", WriteReport.to(output).failingOnInvalid(options.getFailOnInvalid()))
        .apply("Result", PublishResult.registrySummary().toFile(options.getResultFile()));
    return p;
  }
}
