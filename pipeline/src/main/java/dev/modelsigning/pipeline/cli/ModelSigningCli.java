package dev.modelsigning.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.pipeline.DigestModelPipeline;
import dev.modelsigning.pipeline.SignModelPipeline;
import dev.modelsigning.pipeline.VerifyModelPipeline;
import dev.modelsigning.pipeline.VerifyRegistryPipeline;
import dev.modelsigning.pipeline.options.DigestModelOptions;
import dev.modelsigning.pipeline.options.JobOptions;
import dev.modelsigning.pipeline.options.SignModelOptions;
import dev.modelsigning.pipeline.options.VerifyModelOptions;
import dev.modelsigning.pipeline.options.VerifyRegistryOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Path resultFile = null;
    try {
      T options = parse(args, optionsClass);
      if (options.getResultFile() == null) {
        resultFile = Files.createTempFile("model-signing-result", ".json");
        options.setResultFile(resultFile.toString());
      }
      PipelineResult.State state = pipeline.apply(options).run().waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        err.println("error: the job ended in state " + state);
        return FAILED;
      }
      report(options.getResultFile());
      return OK;
    } catch (RuntimeException e) {
      return fail(e);
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return FAILED;
    } finally {
      deleteQuietly(resultFile);
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

  private void report(String resultFile) throws IOException {
    if (!Files.exists(Path.of(resultFile))) {
      return; // the job ran on a remote runner and wrote its result elsewhere
    }
    JsonNode r = Json.parse(Files.readAllBytes(Path.of(resultFile)), "job result");
    if (r.has("models")) {
      out.println(
          r.path("models").asLong()
              + " models: "
              + r.path("verified").asLong()
              + " verified, "
              + r.path("failed").asLong()
              + " failed, "
              + r.path("unsigned").asLong()
              + " unsigned, "
              + r.path("error").asLong()
              + " error; report "
              + r.path("report").asText());
      return;
    }
    if (r.has("status")) {
      out.println(
          "Verified "
              + r.path("model").asText()
              + " (signed by "
              + r.path("signer").asText()
              + ")");
    }
    out.println(r.path("subjectDigest").asText());
    err.println(
        r.path("files").asLong()
            + " files, "
            + r.path("bytes").asLong()
            + " bytes"
            + (r.has("signature") && !r.has("status")
                ? "; signature written to " + r.path("signature").asText()
                : ""));
  }

  /** Finds the error this project raised inside the runner's wrappers and prints its message. */
  private int fail(RuntimeException e) {
    Throwable t = e;
    while (t != null && !(t instanceof ModelSigningException)) {
      t = t.getCause();
    }
    if (t == null) {
      err.println("error: " + e);
      return FAILED;
    }
    if (t instanceof VerificationException) {
      err.println("verification failed: " + t.getMessage());
      return FAILED;
    }
    err.println("error: " + t.getMessage());
    return t instanceof InvalidInputException ? USAGE : FAILED;
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }
}
