package dev.modelsigning.pipeline.cli;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.pipeline.DigestModelPipeline;
import dev.modelsigning.pipeline.SignModelPipeline;
import dev.modelsigning.pipeline.VerifyModelPipeline;
import dev.modelsigning.pipeline.VerifyRegistryPipeline;
import dev.modelsigning.pipeline.options.DigestModelOptions;
import dev.modelsigning.pipeline.options.JobOptions;
import dev.modelsigning.pipeline.options.SignModelOptions;
import dev.modelsigning.pipeline.options.VerifyModelOptions;
import dev.modelsigning.pipeline.options.VerifyRegistryOptions;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The command line: model_signing's verbs, each running its Beam pipeline (DirectRunner unless
 * --runner says otherwise). Exit status 0 ok, 1 verification or job failure, 2 usage error.
 */
public final class ModelSigningCli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private static final String USAGE_TEXT =
      """
      usage: model-signing <command> --option=value ...

      commands:
        sign     hash a model and write its signature bundle (model.sig)
        verify   check a model against its signature bundle
        digest   print the model's subject digest (sha256:...), as model_signing digest does
        verify-registry
                 re-verify every signed model under a registry prefix; JSONL report

      Options take the --name=value form. 'model-signing <command> --help' lists them.
      Example:
        model-signing sign --model=./my-model --signer=key --privateKey=key.pem
        model-signing verify --model=./my-model --verifier=key --publicKey=pub.pem
      """;

  private final PrintStream out;
  private final PrintStream err;

  public ModelSigningCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new ModelSigningCli(System.out, System.err).run(args));
  }

  public int run(String... args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(USAGE_TEXT);
      return args.length == 0 ? USAGE : OK;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    return switch (command) {
      case "sign" -> runJob(rest, SignModelOptions.class, o -> SignModelPipeline.create(o));
      case "verify" -> runJob(rest, VerifyModelOptions.class, o -> VerifyModelPipeline.create(o));
      case "digest" -> runJob(rest, DigestModelOptions.class, o -> DigestModelPipeline.create(o));
      case "verify-registry" ->
          runJob(rest, VerifyRegistryOptions.class, o -> VerifyRegistryPipeline.create(o));
      default -> {
        err.println("error: unknown command '" + command + "'");
        err.print(USAGE_TEXT);
        yield USAGE;
      }
    };
  }

  private <T extends JobOptions> int runJob(
      String[] args, Class<T> optionsClass, Function<T, Pipeline> pipeline) {
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(out, optionsClass);
      return OK;
    }
    try {
      T options = parse(args, optionsClass);
      PipelineResult result = pipeline.apply(options).run();
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        err.println("error: the job ended in state " + state);
        return FAILED;
      }
      JobResults.of(result, options.getResultFile()).print(out, err);
      return OK;
    } catch (RuntimeException e) {
      return fail(e);
    }
  }

  private static <T extends PipelineOptions> T parse(String[] args, Class<T> optionsClass) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].startsWith("--") && !args[i].contains("=") && !args[i + 1].startsWith("--")) {
        // Beam reads only "--name=value"; "--name value" would fail obscurely.
        throw new InvalidInputException(
            "write option '" + args[i] + " " + args[i + 1] + "' as " + args[i] + "=" + args[i + 1]);
      }
    }
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(optionsClass);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  /** Prints the one line that says why the job failed, whichever runner wrapped the cause. */
  private int fail(RuntimeException e) {
    FailureCause cause = FailureCause.of(e);
    err.println(cause.line());
    return cause.usageError() ? USAGE : FAILED;
  }
}
