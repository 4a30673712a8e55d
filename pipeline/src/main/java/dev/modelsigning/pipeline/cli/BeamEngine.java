package dev.modelsigning.pipeline.cli;

import dev.modelsigning.beam.spec.SecretFile;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.pipeline.DigestModelPipeline;
import dev.modelsigning.pipeline.JobSpecs;
import dev.modelsigning.pipeline.SignModelPipeline;
import dev.modelsigning.pipeline.VerifyModelPipeline;
import dev.modelsigning.pipeline.VerifyRegistryPipeline;
import dev.modelsigning.pipeline.options.DigestModelOptions;
import dev.modelsigning.pipeline.options.JobOptions;
import dev.modelsigning.pipeline.options.SignModelOptions;
import dev.modelsigning.pipeline.options.VerifyModelOptions;
import dev.modelsigning.pipeline.options.VerifyRegistryOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs a command as a Beam pipeline, on the DirectRunner or the runner the user named. */
final class BeamEngine {
  private BeamEngine() {}

  static JobResults run(ParsedCommand c) {
    List<String> args = new ArrayList<>(List.of(c.pipelineArgs()));
    String runner = c.beamArg("runner");
    boolean onThisMachine = runner == null || runner.equals("DirectRunner");
    if (onThisMachine) {
      // The DirectRunner checks every element for mutation and encodability, which costs most of
      // a many-file job; the transforms' own tests keep these checks on.
      addUnlessGiven(args, "enforceImmutability", "false");
      addUnlessGiven(args, "enforceEncodability", "false");
      if (LocalEngine.allLocationsLocal(c)) {
        // Hashing page-cached files is CPU-bound: one thread per core (the DirectRunner's
        // default of at least 3 makes two cores share three large files unevenly).
        addUnlessGiven(
            args, "targetParallelism", String.valueOf(Runtime.getRuntime().availableProcessors()));
      }
    }
    String[] a = args.toArray(String[]::new);
    Pipeline pipeline =
        switch (c.command()) {
          case "sign" -> {
            SignModelOptions options = parse(a, SignModelOptions.class);
            Pipeline sign = SignModelPipeline.create(options); // registers the job's file systems
            if (onThisMachine) {
              // This process is the worker: a missing key fails now, not after all the hashing.
              JobSpecs.signer(options).secretFiles().forEach(SecretFile::read);
            }
            yield sign;
          }
          case "verify" -> VerifyModelPipeline.create(parse(a, VerifyModelOptions.class));
          case "digest" -> DigestModelPipeline.create(parse(a, DigestModelOptions.class));
          case "verify-registry" ->
              VerifyRegistryPipeline.create(parse(a, VerifyRegistryOptions.class));
          default -> throw new InvalidInputException("unknown command " + c.command());
        };
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new dev.modelsigning.core.ModelSigningException("the job ended in state " + state);
    }
    return JobResults.of(result, pipeline.getOptions().as(JobOptions.class).getResultFile());
  }

  private static void addUnlessGiven(List<String> args, String name, String value) {
    if (args.stream().noneMatch(a -> a.startsWith("--" + name + "=") || a.equals("--" + name))) {
      args.add("--" + name + "=" + value);
    }
  }

  private static <T extends JobOptions> T parse(String[] args, Class<T> type) {
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(String.valueOf(e.getMessage()), e);
    }
  }
}
