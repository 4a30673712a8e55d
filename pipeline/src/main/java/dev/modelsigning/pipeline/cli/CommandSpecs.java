package dev.modelsigning.pipeline.cli;

import dev.modelsigning.core.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The picocli command for one of this project's commands, built from its {@link OptionCatalog}:
 * every option under its camelCase name (Beam's spelling), its kebab-case and its snake_case name,
 * with {@code --name=value} and {@code --name value} both accepted.
 */
final class CommandSpecs {
  private CommandSpecs() {}

  static CommandSpec build(String command, String positionalLabel, OptionCatalog catalog) {
    CommandSpec spec = CommandSpec.create().name("model-signing " + command);
    for (OptionCatalog.Option o : catalog.all()) {
      OptionSpec.Builder b =
          OptionSpec.builder(names(o.name()))
              .paramLabel(o.isFlag() ? "true|false" : "<" + OptionCatalog.kebab(o.name()) + ">")
              .description(describe(o));
      if (o.isFlag()) {
        b.type(Boolean.class).arity("0..1").fallbackValue("true");
      } else if (o.isList()) {
        b.type(List.class).auxiliaryTypes(String.class).splitRegex(",").arity("1");
      } else {
        b.type(String.class).arity("1");
      }
      spec.addOption(b.build());
    }
    // Shown in the help; handled before parsing (so neither is picocli's usage-help option).
    spec.addOption(
        OptionSpec.builder("-h").arity("0").type(Boolean.class).description("This help.").build());
    spec.addOption(
        OptionSpec.builder("--help")
            .arity("0")
            .type(Boolean.class)
            .description("This help, then every Beam and runner option.")
            .build());
    spec.addPositional(
        PositionalParamSpec.builder()
            .index("0")
            .arity("0..1")
            .paramLabel(positionalLabel)
            .type(String.class)
            .description("Same as --" + positionalLabel.toLowerCase(java.util.Locale.ROOT) + ".")
            .build());
    return spec;
  }

  private static String[] names(String camel) {
    Set<String> names = new LinkedHashSet<>();
    names.add("--" + camel);
    names.add("--" + OptionCatalog.kebab(camel));
    names.add("--" + OptionCatalog.kebab(camel).replace('-', '_'));
    return names.toArray(String[]::new);
  }

  private static String describe(OptionCatalog.Option o) {
    String d = o.description();
    if (o.defaultValue() != null && !o.defaultValue().isEmpty()) {
      d += " Default: " + o.defaultValue() + ".";
    }
    return d;
  }

  /**
   * Parses normalized arguments.
   *
   * @param positionalName the option the positional argument stands for (model or registry)
   */
  static ParsedCommand parse(
      String command,
      String positionalName,
      OptionCatalog catalog,
      CommandSpec spec,
      List<String> args) {
    CommandLine cl = new CommandLine(spec);
    cl.setUnmatchedArgumentsAllowed(true);
    cl.setUnmatchedOptionsArePositionalParams(false);
    ParseResult result;
    try {
      result = cl.parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new InvalidInputException(String.valueOf(e.getMessage()), e);
    }
    Map<String, Object> given = new LinkedHashMap<>();
    for (OptionCatalog.Option o : catalog.all()) {
      OptionSpec matched = result.matchedOption("--" + o.name());
      if (matched != null) {
        given.put(o.name(), matched.getValue());
      }
    }
    if (result.hasMatchedPositional(0)) {
      String value = result.matchedPositional(0).getValue();
      if (given.containsKey(positionalName) && !given.get(positionalName).equals(value)) {
        throw new InvalidInputException(
            "the " + positionalName + " is given twice: '" + value + "' and --" + positionalName);
      }
      given.put(positionalName, value);
    }
    List<String> unmatched = cl.getUnmatchedArguments();
    for (String u : unmatched) {
      if (!u.startsWith("--")) {
        throw new InvalidInputException(
            "unexpected argument '" + u + "' (one " + positionalName + " only)");
      }
    }
    return new ParsedCommand(command, catalog, given, unmatched);
  }

  static boolean helpRequested(List<String> args) {
    return args.contains("-h") || args.contains("--help");
  }
}
