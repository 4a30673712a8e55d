package dev.modelsigning.pipeline.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsigning.pipeline.workflows.PipelineCatalog.OptionSpec;
import dev.modelsigning.pipeline.workflows.PipelineCatalog.PipelineSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps templates/&lt;name&gt;/metadata.json in step with the options of the pipeline main the
 * template starts (named in templates/&lt;name&gt;/template.env): every parameter is a real option,
 * required options are present and not optional, regexes accept the option's default, and the
 * values the spec offers parse as the option's type.
 */
class TemplateSpecsTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Pattern MAIN_CLASS =
      Pattern.compile("(?m)^MAIN_CLASS=([A-Za-z0-9_.$]+)\\s*$");
  private static final Set<String> TOP_LEVEL_FIELDS =
      Set.of(
          "name",
          "description",
          "parameters",
          "streaming",
          "supportsAtLeastOnce",
          "supportsExactlyOnce",
          "defaultStreamingMode");
  private static final Set<String> PARAMETER_FIELDS =
      Set.of(
          "name",
          "label",
          "helpText",
          "isOptional",
          "regexes",
          "paramType",
          "enumOptions",
          "groupName",
          "parentName",
          "parentTriggerValues",
          "customMetadata",
          "defaultValue",
          "hiddenUi");
  private static final Set<String> PARAM_TYPES =
      Set.of(
          "DEFAULT",
          "TEXT",
          "GCS_READ_BUCKET",
          "GCS_WRITE_BUCKET",
          "GCS_READ_FILE",
          "GCS_WRITE_FILE",
          "GCS_READ_FOLDER",
          "GCS_WRITE_FOLDER",
          "SERVICE_ACCOUNT",
          "KMS_KEY_NAME",
          "BOOLEAN",
          "ENUM",
          "NUMBER");

  /**
   * Beam's own options (not the project's) a template may declare: the AWS region of s3:// models.
   * Credentials are deliberately not offered: template parameters are visible in job metadata.
   */
  static final Set<String> BEAM_OPTIONS_OFFERED = Set.of("awsRegion");

  static Path templatesDir() {
    return PipelineCatalog.repoRoot().resolve("templates");
  }

  static List<Path> specs() throws IOException {
    return PipelineCatalog.files(templatesDir(), "metadata.json");
  }

  /** The main class named in the template's template.env. */
  static String mainClassOf(Path templateDir) throws IOException {
    Path env = templateDir.resolve("template.env");
    assertTrue(Files.isRegularFile(env), "missing " + env + " (MAIN_CLASS=<pipeline main>)");
    Matcher m = MAIN_CLASS.matcher(Files.readString(env, StandardCharsets.UTF_8));
    assertTrue(m.find(), env + " has no MAIN_CLASS=<class> line");
    return m.group(1);
  }

  @Test
  void everyTemplateDirectoryHasASpec() throws IOException {
    List<Path> specs = specs();
    assertFalse(specs.isEmpty(), "no templates/**/metadata.json");
    for (String expected : List.of("sign", "verify", "verify-registry")) {
      assertTrue(
          Files.isRegularFile(templatesDir().resolve(expected).resolve("metadata.json")),
          "templates/" + expected + "/metadata.json is missing");
    }
    try (Stream<Path> dirs = Files.list(templatesDir())) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        assertTrue(
            Files.isRegularFile(d.resolve("metadata.json")),
            d + " is a template directory without metadata.json");
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> specsMatchPipelineOptions() throws IOException {
    return specs().stream()
        .map(
            spec ->
                DynamicTest.dynamicTest(
                    templatesDir().relativize(spec).toString(), () -> checkSpec(spec)));
  }

  private static void checkSpec(Path spec) throws IOException {
    String templateName = spec.getParent().getFileName().toString();
    String mainClass = mainClassOf(spec.getParent());
    if (PipelineCatalog.MAINS.containsKey(templateName)) {
      assertEquals(
          PipelineCatalog.MAINS.get(templateName),
          mainClass,
          "templates/"
              + templateName
              + " must start the main of the '"
              + templateName
              + "' command");
    }
    Optional<PipelineSpec> pipeline = PipelineCatalog.forMainClass(mainClass);
    assertTrue(
        pipeline.isPresent(),
        spec + " starts " + mainClass + ", which is not in this build: the template cannot run");
    Map<String, OptionSpec> options = pipeline.get().projectOptions();
    Class<? extends PipelineOptions> iface = pipeline.get().optionsInterface();

    JsonNode root = JSON.readTree(spec.toFile());
    List<String> problems = new ArrayList<>();
    root.fieldNames()
        .forEachRemaining(
            f -> {
              if (!TOP_LEVEL_FIELDS.contains(f)) {
                problems.add("unknown top-level field '" + f + "'");
              }
            });
    if (root.path("name").asText().isBlank()) {
      problems.add("no template name");
    }
    if (root.path("description").asText().isBlank()) {
      problems.add("no template description");
    }
    JsonNode params = root.path("parameters");
    if (!params.isArray() || params.isEmpty()) {
      problems.add("no parameters array");
    }
    Set<String> seen = new HashSet<>();
    Map<String, String> sampleValues = new HashMap<>();
    for (JsonNode p : params) {
      String name = p.path("name").asText();
      String where = "parameter '" + name + "': ";
      p.fieldNames()
          .forEachRemaining(
              f -> {
                if (!PARAMETER_FIELDS.contains(f)) {
                  problems.add(where + "unknown field '" + f + "'");
                }
              });
      if (!seen.add(name)) {
        problems.add(where + "declared twice");
      }
      OptionSpec option = options.get(name);
      if (option == null && BEAM_OPTIONS_OFFERED.contains(name)) {
        option = pipeline.get().acceptedOptions().get(name);
      }
      if (option == null) {
        problems.add(
            where
                + "not an option of "
                + iface.getSimpleName()
                + " (options: "
                + new java.util.TreeSet<>(options.keySet())
                + ")");
        continue;
      }
      if (p.path("label").asText().isBlank()) {
        problems.add(where + "no label");
      }
      if (p.path("helpText").asText().isBlank()) {
        problems.add(where + "no helpText");
      }
      if (!p.path("isOptional").isBoolean()) {
        problems.add(where + "isOptional must be true or false");
      } else if (p.path("isOptional").asBoolean() == option.required()) {
        problems.add(
            where
                + (option.required()
                    ? "the option is @Validation.Required but isOptional is true"
                    : "the option is optional but isOptional is false"));
      }
      List<Pattern> regexes = new ArrayList<>();
      for (JsonNode r : p.path("regexes")) {
        try {
          regexes.add(Pattern.compile(r.asText()));
        } catch (PatternSyntaxException e) {
          problems.add(where + "bad regex " + r.asText() + ": " + e.getDescription());
        }
      }
      option
          .defaultValue()
          .ifPresent(
              d -> {
                for (Pattern r : regexes) {
                  if (!r.matcher(d).matches()) {
                    problems.add(
                        where + "regex " + r + " rejects the option's default '" + d + "'");
                  }
                }
              });
      String type = p.path("paramType").asText("TEXT");
      if (!PARAM_TYPES.contains(type)) {
        problems.add(where + "unknown paramType " + type);
      }
      Class<?> t = option.type();
      if (type.equals("BOOLEAN") && t != boolean.class && t != Boolean.class) {
        problems.add(where + "paramType BOOLEAN but the option is " + t.getSimpleName());
      }
      if (type.equals("NUMBER")
          && !(t.isPrimitive() && t != boolean.class)
          && !Number.class.isAssignableFrom(t)) {
        problems.add(where + "paramType NUMBER but the option is " + t.getSimpleName());
      }
      if (type.equals("ENUM") && !p.path("enumOptions").isArray()) {
        problems.add(where + "paramType ENUM without enumOptions");
      }
      List<String> offered = new ArrayList<>();
      for (JsonNode e : p.path("enumOptions")) {
        String v = e.path("value").asText();
        offered.add(v);
        for (Pattern r : regexes) {
          if (!r.matcher(v).matches()) {
            problems.add(where + "regex " + r + " rejects its own enum value '" + v + "'");
          }
        }
      }
      option.defaultValue().ifPresent(offered::add);
      if (offered.isEmpty()) {
        offered.add(
            switch (type) {
              case "BOOLEAN" -> "true";
              case "NUMBER" -> "1000";
              default -> "gs://bucket/path";
            });
      }
      for (String v : offered) {
        try {
          sampleValues.put(name, v);
          parse(iface, options, Map.of(name, v));
        } catch (RuntimeException e) {
          problems.add(where + "Beam cannot parse --" + name + "=" + v + ": " + e.getMessage());
        }
      }
    }
    for (OptionSpec o : options.values()) {
      if (o.required() && !seen.contains(o.name())) {
        problems.add("required option '" + o.name() + "' is not a parameter");
      }
    }
    problems.addAll(conditionalProblems(params, options));
    if (problems.isEmpty()) {
      // All parameters at once, as a launch with every field filled in would pass them.
      try {
        parse(iface, options, sampleValues);
      } catch (RuntimeException e) {
        problems.add("Beam cannot parse all parameters together: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      fail(spec + " does not match " + iface.getName() + ":\n  " + String.join("\n  ", problems));
    }
  }

  /**
   * Options that belong to one signer, verifier or method, and the parent parameter values under
   * which the template UI must show them (parentName / parentTriggerValues). An option declared on
   * SignerOptions, VerifierOptions or SigstoreInstanceOptions that is not listed here must still
   * have the signer or verifier as its parent (so a new signer option cannot be offered to every
   * signer by accident).
   */
  static final Map<String, Map<String, Set<String>>> CONDITIONAL =
      Map.ofEntries(
          Map.entry("privateKey", Map.of("signer", Set.of("key", "certificate"))),
          Map.entry("privateKeyPasswordFile", Map.of("signer", Set.of("key", "certificate"))),
          Map.entry("privateKeyPasswordEnv", Map.of("signer", Set.of("key", "certificate"))),
          // the vault signers take a certificate for their certificate form
          Map.entry(
              "signingCertificate",
              Map.of("signer", Set.of("certificate", "gcp-kms", "aws-kms", "pkcs11"))),
          Map.entry(
              "certificateChain",
              Map.of("signer", Set.of("certificate", "gcp-kms", "aws-kms", "pkcs11"))),
          Map.entry("kmsKey", Map.of("signer", Set.of("gcp-kms", "aws-kms"))),
          Map.entry("kmsEndpoint", Map.of("signer", Set.of("gcp-kms", "aws-kms"))),
          Map.entry("kmsRegion", Map.of("signer", Set.of("aws-kms"))),
          Map.entry("pkcs11Uri", Map.of("signer", Set.of("pkcs11"))),
          Map.entry("pkcs11Module", Map.of("signer", Set.of("pkcs11"))),
          Map.entry("identityTokenSource", Map.of("signer", Set.of("sigstore"))),
          Map.entry("identityTokenFile", Map.of("signer", Set.of("sigstore"))),
          Map.entry("signingConfig", Map.of("signer", Set.of("sigstore"))),
          Map.entry(
              "sigstoreInstance",
              Map.of("signer", Set.of("sigstore"), "verifier", Set.of("sigstore"))),
          Map.entry(
              "trustedRoot", Map.of("signer", Set.of("sigstore"), "verifier", Set.of("sigstore"))),
          Map.entry("publicKey", Map.of("verifier", Set.of("key"))),
          Map.entry("caCertificates", Map.of("verifier", Set.of("certificate"))),
          Map.entry("certificateValidity", Map.of("verifier", Set.of("certificate"))),
          Map.entry("identity", Map.of("verifier", Set.of("sigstore"))),
          Map.entry("identityProvider", Map.of("verifier", Set.of("sigstore"))),
          Map.entry("identityRegexp", Map.of("verifier", Set.of("sigstore"))),
          Map.entry("identityProviderRegexp", Map.of("verifier", Set.of("sigstore"))),
          Map.entry("shardSize", Map.of("method", Set.of("shards"))),
          Map.entry("modelMarker", Map.of("requireSigned", Set.of("true"))));

  private static final Set<String> POLICY_INTERFACES =
      Set.of("SignerOptions", "VerifierOptions", "SigstoreInstanceOptions");

  /** parentName / parentTriggerValues / defaultValue: consistent, and as CONDITIONAL expects. */
  static List<String> conditionalProblems(JsonNode params, Map<String, OptionSpec> options) {
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> byName = new java.util.LinkedHashMap<>();
    params.forEach(p -> byName.put(p.path("name").asText(), p));
    for (JsonNode p : params) {
      String name = p.path("name").asText();
      String where = "parameter '" + name + "': ";
      OptionSpec option = options.get(name);
      if (p.has("defaultValue")) {
        String d = p.path("defaultValue").asText();
        if (option != null && !option.defaultValue().equals(Optional.of(d))) {
          problems.add(
              where
                  + "defaultValue '"
                  + d
                  + "' is not the option's default "
                  + option.defaultValue());
        }
      }
      String parent = p.path("parentName").asText("");
      Set<String> triggers = new java.util.TreeSet<>();
      p.path("parentTriggerValues").forEach(v -> triggers.add(v.asText()));
      if (parent.isEmpty() && !triggers.isEmpty()) {
        problems.add(where + "parentTriggerValues without parentName");
      }
      if (!parent.isEmpty()) {
        JsonNode parentNode = byName.get(parent);
        if (parentNode == null) {
          problems.add(where + "parentName '" + parent + "' is not a parameter of this template");
        } else {
          if (parentNode.has("parentName")) {
            problems.add(where + "parent '" + parent + "' is itself conditional (one level only)");
          }
          if (triggers.isEmpty()) {
            problems.add(where + "no parentTriggerValues (any value of '" + parent + "' shows it)");
          }
          Set<String> accepted = new java.util.TreeSet<>();
          parentNode.path("enumOptions").forEach(e -> accepted.add(e.path("value").asText()));
          if (parentNode.path("paramType").asText().equals("BOOLEAN")) {
            accepted.addAll(Set.of("true", "false"));
          }
          for (String t : triggers) {
            if (!accepted.contains(t)) {
              problems.add(
                  where
                      + "trigger value '"
                      + t
                      + "' is not a value of '"
                      + parent
                      + "' "
                      + accepted);
            }
          }
        }
        if (option != null && option.required()) {
          problems.add(where + "a required option cannot be hidden behind '" + parent + "'");
        }
        if (p.has("groupName")) {
          problems.add(where + "groupName is ignored when parentName is set");
        }
      }
      Map<String, Set<String>> expected = CONDITIONAL.get(name);
      if (expected != null) {
        Optional<String> expectedParent =
            expected.keySet().stream().filter(byName::containsKey).findFirst();
        if (expectedParent.isPresent()
            && !(parent.equals(expectedParent.get())
                && triggers.equals(expected.get(expectedParent.get())))) {
          problems.add(
              where
                  + "must be shown only for "
                  + expectedParent.get()
                  + " in "
                  + new java.util.TreeSet<>(expected.get(expectedParent.get()))
                  + " (parentName/parentTriggerValues), has "
                  + (parent.isEmpty() ? "none" : parent + " " + triggers));
        }
      } else if (option != null
          && POLICY_INTERFACES.contains(option.getter().getDeclaringClass().getSimpleName())
          && !name.equals("signer")
          && !name.equals("verifier")
          && !(parent.equals("signer") || parent.equals("verifier"))) {
        problems.add(
            where
                + "belongs to one signing or verification method: give it parentName signer or"
                + " verifier (and add it to TemplateSpecsTest.CONDITIONAL)");
      }
    }
    return problems;
  }

  /** Parses values the way the launcher passes them (--name=value) and reads every option. */
  private static PipelineOptions parse(
      Class<? extends PipelineOptions> iface,
      Map<String, OptionSpec> options,
      Map<String, String> values) {
    List<String> args = new ArrayList<>();
    for (OptionSpec o : options.values()) {
      if (o.required() && !values.containsKey(o.name())) {
        args.add("--" + o.name() + "=gs://bucket/required");
      }
    }
    values.forEach((k, v) -> args.add("--" + k + "=" + v));
    PipelineOptions parsed = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(iface);
    Map<String, OptionSpec> beam =
        PipelineCatalog.forMainClass(mainOf(iface)).orElseThrow().acceptedOptions();
    for (String k : values.keySet()) {
      OptionSpec o = beam.get(k);
      if (o != null && !options.containsKey(k)) {
        try {
          @SuppressWarnings("unchecked")
          Class<? extends PipelineOptions> declaring =
              (Class<? extends PipelineOptions>) o.getter().getDeclaringClass();
          o.getter().invoke(parsed.as(declaring));
        } catch (ReflectiveOperationException e) {
          throw new IllegalArgumentException(
              k + ": " + (e.getCause() == null ? e : e.getCause()).toString(), e);
        }
      }
    }
    for (OptionSpec o : options.values()) {
      try {
        o.getter().invoke(parsed);
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException(
            o.name() + ": " + (e.getCause() == null ? e : e.getCause()).toString(), e);
      }
    }
    return parsed;
  }

  /** The main whose create() takes this options interface. */
  private static String mainOf(Class<? extends PipelineOptions> iface) {
    for (String main : PipelineCatalog.MAINS.values()) {
      Optional<PipelineSpec> p = PipelineCatalog.forMainClass(main);
      if (p.isPresent() && p.get().optionsInterface().equals(iface)) {
        return main;
      }
    }
    throw new AssertionError("no pipeline main takes " + iface.getName());
  }

  @Test
  void dockerfileLaunchesTheShadedJarWithAChosenMain() throws IOException {
    String d = Files.readString(templatesDir().resolve("Dockerfile"), StandardCharsets.UTF_8);
    assertTrue(d.contains("gcr.io/dataflow-templates-base/java17-template-launcher-base"), d);
    assertTrue(d.contains("COPY model-signing.jar /template/model-signing.jar"), d);
    assertTrue(d.contains("ENV FLEX_TEMPLATE_JAVA_CLASSPATH=/template/model-signing.jar"), d);
    assertTrue(d.contains("ARG MAIN_CLASS"), d);
    assertTrue(d.contains("ENV FLEX_TEMPLATE_JAVA_MAIN_CLASS=${MAIN_CLASS}"), d);
  }

  @Test
  void buildScriptStagesEveryTemplateWithItsMainClass() throws Exception {
    Path script = templatesDir().resolve("build-and-stage.sh");
    assertTrue(Files.isExecutable(script), script + " must be executable");
    assertTrue(onPath("bash"), "bash is required to check build-and-stage.sh");
    assertEquals(0, run(List.of("bash", "-n", script.toString()), Map.of()).exitCode, "bash -n");
    Result r =
        run(
            List.of("bash", script.toString()),
            Map.of(
                "DRY_RUN", "1",
                "SKIP_MAVEN", "1",
                "BUILDER", "docker",
                "PROJECT", "my-project",
                "REGION", "us-central1",
                "BUCKET", "my-bucket",
                "TAG", "t1"));
    assertEquals(0, r.exitCode, r.output);
    for (Path spec : specs()) {
      String name = spec.getParent().getFileName().toString();
      assertTrue(r.output.contains("MAIN_CLASS=" + mainClassOf(spec.getParent())), r.output);
      assertTrue(
          r.output.contains("gs://my-bucket/templates/model-signing-" + name + "-t1.json"),
          r.output);
      assertTrue(r.output.contains("--metadata-file=" + spec), r.output);
    }
    assertTrue(r.output.contains("--sdk-language=JAVA"), r.output);
    assertFalse(r.output.contains("--sdk-language=PYTHON"), r.output);
  }

  record Result(int exitCode, String output) {}

  static Result run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + command);
    }
    return new Result(p.exitValue(), out);
  }

  static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    return path != null
        && Stream.of(path.split(java.io.File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, exe)));
  }
}
