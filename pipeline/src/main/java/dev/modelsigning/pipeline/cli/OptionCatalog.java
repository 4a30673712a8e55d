package dev.modelsigning.pipeline.cli;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.jspecify.annotations.Nullable;

/**
 * This project's options of one command, read from the options interfaces that declare them (the
 * same interfaces Beam, Dataflow templates and the drift tests use), so each option is declared
 * once: name, type, description, default. Only this project's interfaces are read, never Beam's
 * own, so building the command line does not start Beam.
 */
final class OptionCatalog {
  private static final String OWN = "dev.modelsigning.pipeline.";

  /** One option. */
  record Option(
      String name,
      Class<?> type,
      String description,
      @Nullable String defaultValue,
      boolean required,
      Class<?> declaredIn) {
    boolean isFlag() {
      return type == boolean.class || type == Boolean.class;
    }

    boolean isList() {
      return type == List.class;
    }

    boolean forPipelines() {
      return declaredIn != CliOptions.class;
    }
  }

  private final Map<String, Option> options;

  private OptionCatalog(Map<String, Option> options) {
    this.options = options;
  }

  static OptionCatalog of(Class<? extends PipelineOptions> job) {
    Map<String, Option> found = new LinkedHashMap<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(job, CliOptions.class));
    Set<Class<?>> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Class<?> type = todo.removeFirst();
      if (!type.getName().startsWith(OWN) || !seen.add(type)) {
        continue;
      }
      for (Method m : type.getDeclaredMethods()) {
        if (m.getParameterCount() == 0 && m.getName().startsWith("get")) {
          Option o = option(m, type);
          found.putIfAbsent(o.name(), o);
        }
      }
      todo.addAll(List.of(type.getInterfaces()));
    }
    return new OptionCatalog(found);
  }

  private static Option option(Method getter, Class<?> declaredIn) {
    String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
    Description d = getter.getAnnotation(Description.class);
    return new Option(
        name,
        getter.getReturnType(),
        d == null ? "" : d.value(),
        defaultOf(getter),
        getter.isAnnotationPresent(Validation.Required.class),
        declaredIn);
  }

  private static @Nullable String defaultOf(Method getter) {
    if (getter.getAnnotation(Default.String.class) != null) {
      return getter.getAnnotation(Default.String.class).value();
    }
    if (getter.getAnnotation(Default.Boolean.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Boolean.class).value());
    }
    if (getter.getAnnotation(Default.Long.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Long.class).value());
    }
    if (getter.getAnnotation(Default.Integer.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Integer.class).value());
    }
    if (getter.getAnnotation(Default.Double.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Double.class).value());
    }
    return null;
  }

  List<Option> all() {
    return new ArrayList<>(options.values());
  }

  @Nullable Option get(String name) {
    return options.get(name);
  }

  boolean has(String name) {
    return options.containsKey(name);
  }

  /** Whether {@code name} is one of these options and takes several values. */
  boolean isList(String name) {
    Option o = options.get(name);
    return o != null && o.isList();
  }

  /** {@code privateKey} -> {@code private-key}. */
  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /** {@code private-key} or {@code private_key} -> {@code privateKey}. */
  static String camel(String spelled) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : spelled.toCharArray()) {
      if (c == '-' || c == '_') {
        upper = sb.length() > 0;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }
}
