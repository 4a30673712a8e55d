package dev.modelsigning.pipeline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.beam.io.ResultFiles;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.local.HashProgress;
import dev.modelsigning.pipeline.options.DigestModelOptions;
import dev.modelsigning.pipeline.options.SignModelOptions;
import dev.modelsigning.pipeline.options.VerifyModelOptions;
import dev.modelsigning.pipeline.options.VerifyRegistryOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line: model_signing's verbs in this project's spelling ({@code sign --model=m
 * --signer=key --privateKey=k.pem}) or model_signing's ({@code sign key m --private-key k.pem}). A
 * local model is signed, verified or digested inside this process on every core; a model in object
 * storage, or any command given a {@code --runner}, runs as a Beam pipeline. Exit status 0 ok, 1
 * verification or job failure, 2 usage error.
 */
public final class ModelSigningCli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /** Each command, the options interface that declares its options, and its positional. */
  private record Command(
      String name, Class<? extends PipelineOptions> options, String positional, String summary) {}

  private static final Map<String, Command> COMMANDS =
      Map.of(
          "sign",
          new Command(
              "sign",
              SignModelOptions.class,
              "MODEL",
              "hash a model and write its signature bundle (model.sig)"),
          "verify",
          new Command(
              "verify",
              VerifyModelOptions.class,
              "MODEL",
              "check a model against its signature bundle"),
          "digest",
          new Command(
              "digest",
              DigestModelOptions.class,
              "MODEL",
              "print the model's subject digest (sha256:...), as model_signing digest does"),
          "verify-registry",
          new Command(
              "verify-registry",
              VerifyRegistryOptions.class,
              "REGISTRY",
              "re-verify every signed model under a registry prefix; JSONL report"));

  private static final String USAGE_TEXT =
      """
      usage: model-signing <command> [METHOD] [MODEL] [options]

      commands:
        sign [key|certificate|sigstore|pkcs11|gcp-kms|aws-kms] MODEL
                 hash a model and write its signature bundle (model.sig)
        verify [key|certificate|sigstore] MODEL
                 check a model against its signature bundle
        digest MODEL
                 print the model's subject digest (sha256:...), as model_signing digest does
        verify-registry REGISTRY
                 re-verify every signed model under a registry prefix; JSONL report

      Options: --name=value or --name value; camelCase, kebab-case and snake_case names all work
      (--privateKey, --private-key, --private_key). 'model-signing <command> -h' lists a command's
      options; '--help' adds every Beam and runner option. A local model runs in this process on
      every core; a gs:// or s3:// model, or --runner=..., runs as a Beam pipeline.
      Examples:
        model-signing sign key ./my-model --private-key key.pem
        model-signing verify --model=./my-model --verifier=key --publicKey=pub.pem
        model-signing sign --model=gs://b/m --signer=sigstore --runner=DataflowRunner ...
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
    if (args.length == 0) {
      out.print(USAGE_TEXT);
      return USAGE;
    }
    switch (args[0]) {
      case "-h", "--help", "help" -> {
        out.print(USAGE_TEXT);
        return OK;
      }
      case "-V", "--version", "version" -> {
        out.println(version());
        return OK;
      }
      default -> {
        // a command
      }
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      err.println("error: unknown command '" + args[0] + "'");
      err.print(USAGE_TEXT);
      return USAGE;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    boolean json =
        rest.contains("--output=json") || rest.contains("--output") && rest.contains("json");
    try {
      OptionCatalog catalog = OptionCatalog.of(command.options());
      List<String> normalized = Spelling.normalize(command.name(), rest, catalog);
      String positionalName = command.positional().equals("MODEL") ? "model" : "registry";
      CommandSpec spec = CommandSpecs.build(command.name(), command.positional(), catalog);
      if (CommandSpecs.helpRequested(normalized)) {
        return help(command, spec, normalized.contains("--help"));
      }
      ParsedCommand parsed =
          CommandSpecs.parse(command.name(), positionalName, catalog, spec, normalized);
      json = "json".equals(parsed.text("output"));
      JobResults results = execute(parsed);
      if (json) {
        results.printJson(out);
      } else {
        results.print(out, err);
      }
      return OK;
    } catch (RuntimeException | LinkageError e) {
      // LinkageError: a runner that cannot load its classes (e.g. Spark without its module
      // flags) still ends with one line and an exit code, not a stack trace.
      FailureCause cause = FailureCause.of(e);
      if (json) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("status", cause.line().startsWith("verification failed") ? "failed" : "error");
        node.put("error", cause.line());
        out.println(node.toString());
      }
      err.println(cause.line());
      return cause.usageError() ? USAGE : FAILED;
    }
  }

  private JobResults execute(ParsedCommand parsed) {
    String format = parsed.require("output");
    if (!format.equals("text") && !format.equals("json")) {
      throw new InvalidInputException("unknown --output '" + format + "' (text or json)");
    }
    if (!LocalEngine.canRun(parsed)) {
      return BeamEngine.run(parsed);
    }
    double interval = Double.parseDouble(parsed.text("progressInterval"));
    HashProgress progress = interval > 0 ? new ProgressLines(err, interval) : null;
    var result = LocalEngine.run(parsed, progress);
    String resultFile = parsed.text("resultFile");
    if (resultFile != null && !resultFile.isEmpty()) {
      ResultFiles.write(resultFile, result.toJson());
    }
    return JobResults.of(result);
  }

  private int help(Command command, CommandSpec spec, boolean withBeam) {
    spec.usageMessage()
        .description(command.summary())
        .footer(
            "",
            "Beam and runner options (--runner, --tempLocation, --project, --region, ...) pass"
                + " through to the pipeline"
                + (withBeam ? "; they follow." : "; '--help' lists them."));
    PrintWriter w = new PrintWriter(out, true);
    new CommandLine(spec).usage(w);
    w.flush();
    if (withBeam) {
      out.println();
      org.apache.beam.sdk.options.PipelineOptionsFactory.printHelp(out, command.options());
    }
    return OK;
  }

  /** The version the jar was built as. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = ModelSigningCli.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return "model-signing "
        + p.getProperty("version", "unknown")
        + " (signs and verifies the OpenSSF Model Signing v1.0 / model_signing v1.x format)";
  }
}
