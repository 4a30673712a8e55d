package dev.modelsigning.pipeline.cli;

import dev.modelsigning.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A command as parsed: the values the user gave for this project's options (defaults come from the
 * catalog), and the options meant for Beam and the runner, passed on untouched.
 *
 * @param command sign, verify, digest or verify-registry
 * @param catalog the command's options
 * @param given this project's options the user set, by name
 * @param beamArgs everything else, in Beam's {@code --name=value} form
 */
record ParsedCommand(
    String command, OptionCatalog catalog, Map<String, Object> given, List<String> beamArgs) {

  ParsedCommand {
    given = new LinkedHashMap<>(given);
    beamArgs = List.copyOf(beamArgs);
  }

  /** The value given, else the option's default, as text (lists joined with commas). */
  @Nullable String text(String name) {
    Object v = given.get(name);
    if (v == null) {
      OptionCatalog.Option o = catalog.get(name);
      return o == null ? null : o.defaultValue();
    }
    return v instanceof List<?> l
        ? String.join(",", l.stream().map(String::valueOf).toList())
        : String.valueOf(v);
  }

  List<String> list(String name) {
    Object v = given.get(name);
    if (v instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    String t = text(name);
    return t == null || t.isEmpty() ? List.of() : List.of(t.split(","));
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(text(name));
  }

  boolean isSet(String name) {
    return given.containsKey(name);
  }

  /** A runner option was given: the job runs as a Beam pipeline on it. */
  boolean runnerGiven() {
    return beamArgs.stream().anyMatch(a -> a.startsWith("--runner=") || a.equals("--runner"));
  }

  @Nullable String beamArg(String name) {
    for (String a : beamArgs) {
      if (a.startsWith("--" + name + "=")) {
        return a.substring(name.length() + 3);
      }
    }
    return null;
  }

  /** This project's options and the pass-through ones, as Beam's parser reads them. */
  String[] pipelineArgs() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : given.entrySet()) {
      OptionCatalog.Option o = catalog.get(e.getKey());
      if (o != null && o.forPipelines()) {
        out.add("--" + e.getKey() + "=" + text(e.getKey()));
      }
    }
    out.addAll(beamArgs);
    return out.toArray(String[]::new);
  }

  String require(String name) {
    String v = text(name);
    if (v == null || v.isEmpty()) {
      throw new InvalidInputException("--" + name + " is required");
    }
    return v;
  }
}
