package dev.modelsigning.pipeline.workflows;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * What the workflow files are checked against: the pipeline mains, their options interfaces (found
 * by reflection, so a renamed or removed option breaks the tests that use it) and the repository
 * layout.
 */
final class PipelineCatalog {
  private PipelineCatalog() {}

  /** CLI command (and template directory name) to pipeline main class, as ModelSigningCli maps. */
  static final Map<String, String> MAINS =
      Map.of(
          "sign", "dev.modelsigning.pipeline.SignModelPipeline",
          "verify", "dev.modelsigning.pipeline.VerifyModelPipeline",
          "digest", "dev.modelsigning.pipeline.DigestModelPipeline",
          "verify-registry", "dev.modelsigning.pipeline.VerifyRegistryPipeline");

  /** One option of a pipeline: its getter, whether it is required and its default, if any. */
  record OptionSpec(String name, Method getter, boolean required, Optional<String> defaultValue) {
    Class<?> type() {
      return getter.getReturnType();
    }
  }

  /** A pipeline main and the options it reads. */
  record PipelineSpec(Class<?> main, Class<? extends PipelineOptions> optionsInterface) {
    /** The options this project declares (the main's interface and its project superinterfaces). */
    Map<String, OptionSpec> projectOptions() {
      Map<String, OptionSpec> out = new LinkedHashMap<>();
      for (Class<?> iface : hierarchy(optionsInterface)) {
        if (iface.getName().startsWith("dev.modelsigning.")) {
          collect(iface, out);
        }
      }
      return out;
    }

    /**
     * Every option name Beam's parser accepts for this main: the project options, Beam's own
     * (runner, tempLocation, jobName ...) and those of registered runners (project, region ...).
     */
    Set<String> acceptedOptionNames() {
      Set<String> names = new TreeSet<>(projectOptions().keySet());
      Set<Class<?>> ifaces = new HashSet<>(hierarchy(optionsInterface));
      for (Class<? extends PipelineOptions> registered :
          PipelineOptionsFactory.getRegisteredOptions()) {
        ifaces.addAll(hierarchy(registered));
      }
      for (Class<?> iface : ifaces) {
        Map<String, OptionSpec> all = new LinkedHashMap<>();
        collect(iface, all);
        names.addAll(all.keySet());
      }
      return names;
    }

    /** Like {@link #acceptedOptionNames()}, with each option's getter (project options first). */
    Map<String, OptionSpec> acceptedOptions() {
      Map<String, OptionSpec> out = new LinkedHashMap<>(projectOptions());
      Set<Class<?>> ifaces = new HashSet<>(hierarchy(optionsInterface));
      for (Class<? extends PipelineOptions> registered :
          PipelineOptionsFactory.getRegisteredOptions()) {
        ifaces.addAll(hierarchy(registered));
      }
      for (Class<?> iface : ifaces) {
        collect(iface, out);
      }
      return out;
    }

    Set<String> requiredOptionNames() {
      Set<String> out = new TreeSet<>();
      projectOptions().values().stream().filter(OptionSpec::required).forEach(o -> out.add(o.name));
      return out;
    }
  }

  /**
   * The main of a CLI command or template, or empty when that pipeline is not in this build yet.
   *
   * @throws AssertionError when the class exists but is not a usable pipeline main
   */
  static Optional<PipelineSpec> forCommand(String command) {
    String mainClass = MAINS.get(command);
    if (mainClass == null) {
      throw new AssertionError(
          "unknown command '" + command + "'; known: " + new TreeSet<>(MAINS.keySet()));
    }
    return forMainClass(mainClass);
  }

  @SuppressWarnings("unchecked")
  static Optional<PipelineSpec> forMainClass(String mainClass) {
    Class<?> main;
    try {
      main = Class.forName(mainClass);
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
    try {
      Method m = main.getMethod("main", String[].class);
      if (!Modifier.isStatic(m.getModifiers())) {
        throw new AssertionError(mainClass + ".main is not static");
      }
    } catch (NoSuchMethodException e) {
      throw new AssertionError(mainClass + " has no public static void main(String[])");
    }
    // Each main builds its pipeline in a public static create(<Its>Options): that parameter type
    // is the options interface the main parses its arguments as.
    for (Method m : main.getMethods()) {
      if (m.getName().equals("create")
          && Modifier.isStatic(m.getModifiers())
          && m.getParameterCount() == 1
          && PipelineOptions.class.isAssignableFrom(m.getParameterTypes()[0])) {
        return Optional.of(
            new PipelineSpec(main, (Class<? extends PipelineOptions>) m.getParameterTypes()[0]));
      }
    }
    throw new AssertionError(
        mainClass + " has no public static create(<PipelineOptions subinterface>) method");
  }

  private static List<Class<?>> hierarchy(Class<?> iface) {
    List<Class<?>> out = new java.util.ArrayList<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(iface));
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (!out.contains(c)) {
        out.add(c);
        todo.addAll(List.of(c.getInterfaces()));
      }
    }
    return out;
  }

  private static void collect(Class<?> iface, Map<String, OptionSpec> out) {
    for (Method m : iface.getDeclaredMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.getParameterCount() != 0) {
        continue;
      }
      String n = m.getName();
      String prop;
      if (n.startsWith("get") && n.length() > 3) {
        prop = n.substring(3);
      } else if (n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class) {
        prop = n.substring(2);
      } else {
        continue;
      }
      prop = Character.toLowerCase(prop.charAt(0)) + prop.substring(1);
      out.putIfAbsent(
          prop,
          new OptionSpec(prop, m, m.isAnnotationPresent(Validation.Required.class), defaultOf(m)));
    }
  }

  private static Optional<String> defaultOf(Method m) {
    if (m.isAnnotationPresent(Default.String.class)) {
      return Optional.of(m.getAnnotation(Default.String.class).value());
    }
    if (m.isAnnotationPresent(Default.Long.class)) {
      return Optional.of(String.valueOf(m.getAnnotation(Default.Long.class).value()));
    }
    if (m.isAnnotationPresent(Default.Integer.class)) {
      return Optional.of(String.valueOf(m.getAnnotation(Default.Integer.class).value()));
    }
    if (m.isAnnotationPresent(Default.Boolean.class)) {
      return Optional.of(String.valueOf(m.getAnnotation(Default.Boolean.class).value()));
    }
    if (m.isAnnotationPresent(Default.Double.class)) {
      return Optional.of(String.valueOf(m.getAnnotation(Default.Double.class).value()));
    }
    return Optional.empty();
  }

  /** The repository root: the directory above this module that holds templates/. */
  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isDirectory(q.resolve("templates")) && Files.isDirectory(q.resolve("pipeline"))) {
        return q;
      }
    }
    throw new AssertionError("no repository root (with templates/ and pipeline/) above " + p);
  }

  /** Regular files under {@code dir} whose names end with one of {@code suffixes}, sorted. */
  static List<Path> files(Path dir, String... suffixes) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> !f.toString().contains("__pycache__"))
          .filter(f -> Stream.of(suffixes).anyMatch(x -> f.getFileName().toString().endsWith(x)))
          .sorted()
          .toList();
    }
  }
}
