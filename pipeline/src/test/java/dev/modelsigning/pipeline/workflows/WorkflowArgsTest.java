package dev.modelsigning.pipeline.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsigning.pipeline.workflows.PipelineCatalog.PipelineSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the Airflow DAGs and the Kubeflow components in step with the pipeline options.
 *
 * <p>Each file marks its blocks with a comment {@code # model-signing: <command>} (sign, verify,
 * digest, verify-registry, or none); a block runs to the next marker. In a command block, every
 * {@code --name=} argument and every key of a literal {@code "parameters": {...}} (Flex Template
 * launch body), {@code pipeline_options={...}} or {@code default_pipeline_options={...}} dict must
 * be an option Beam accepts for that command's main, the required options must be there, a {@code
 * job_class} must be that main, and Flex Template parameters must be declared in
 * templates/&lt;command&gt;/metadata.json (Dataflow rejects undeclared ones).
 */
class WorkflowArgsTest {
  private static final Pattern MARKER =
      Pattern.compile("(?m)^[ \\t]*#[ \\t]*model-signing:[ \\t]*([a-z-]+)");
  private static final Pattern ARG = Pattern.compile("--([A-Za-z][A-Za-z0-9]*)=");
  private static final Pattern DICT_OPENER =
      Pattern.compile(
          "([\"'])(parameters)\\1\\s*:\\s*\\{"
              + "|\\b(pipeline_options|default_pipeline_options)\\s*=\\s*\\{");
  private static final Pattern JOB_CLASS =
      Pattern.compile("\\bjob_class\\s*=\\s*[\"']([^\"']+)[\"']");

  record Block(Path file, String command, int line, String code) {
    String where() {
      return PipelineCatalog.repoRoot().relativize(file) + ":" + line + " (" + command + ")";
    }
  }

  static List<Path> workflowFiles() throws IOException {
    return PipelineCatalog.files(PipelineCatalog.repoRoot().resolve("airflow-examples"), ".py");
  }

  @Test
  void theExpectedWorkflowFilesExist() throws IOException {
    Path dir = PipelineCatalog.repoRoot().resolve("airflow-examples");
    for (String f :
        List.of(
            "sign_after_training.py",
            "reverify_registry.py",
            "kubeflow/model_signing_components.py")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), "missing airflow-examples/" + f);
    }
  }

  @TestFactory
  Stream<DynamicTest> workflowArgumentsAreRealOptions() throws IOException {
    List<Path> files = workflowFiles();
    assertFalse(files.isEmpty(), "no .py files under airflow-examples/");
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    PipelineCatalog.repoRoot().relativize(f).toString(), () -> checkFile(f)));
  }

  private static void checkFile(Path file) throws IOException {
    List<Block> blocks = blocks(file);
    assertTrue(
        blocks.stream().anyMatch(b -> !b.command().equals("none")),
        file
            + " has no '# model-signing: <command>' marker, so its pipeline arguments cannot be"
            + " checked");
    List<String> problems = new ArrayList<>();
    for (Block b : blocks) {
      if (b.command().equals("none")) {
        continue;
      }
      if (!PipelineCatalog.MAINS.containsKey(b.command())) {
        problems.add(
            b.where()
                + ": unknown command; use one of "
                + PipelineCatalog.MAINS.keySet()
                + " or none");
        continue;
      }
      Optional<PipelineSpec> pipeline = PipelineCatalog.forCommand(b.command());
      if (pipeline.isEmpty()) {
        problems.add(b.where() + ": " + PipelineCatalog.MAINS.get(b.command()) + " not in build");
        continue;
      }
      problems.addAll(checkBlock(b, pipeline.get()));
    }
    if (!problems.isEmpty()) {
      fail(
          "workflow arguments out of step with the pipelines:\n  " + String.join("\n  ", problems));
    }
  }

  private static List<String> checkBlock(Block b, PipelineSpec pipeline) throws IOException {
    List<String> problems = new ArrayList<>();
    Set<String> accepted = pipeline.acceptedOptionNames();
    Set<String> used = new LinkedHashSet<>();
    Matcher a = ARG.matcher(b.code());
    while (a.find()) {
      used.add(a.group(1));
    }
    Set<String> flexParameters = new LinkedHashSet<>();
    Matcher d = DICT_OPENER.matcher(b.code());
    while (d.find()) {
      List<String> keys = topLevelKeys(b.code(), d.end() - 1);
      used.addAll(keys);
      if (d.group(2) != null) {
        flexParameters.addAll(keys);
      }
    }
    if (used.isEmpty()) {
      problems.add(b.where() + ": marked but passes no --name= arguments or option dicts");
    }
    for (String u : used) {
      if (!accepted.contains(u)) {
        problems.add(
            b.where()
                + ": '"
                + u
                + "' is not an option of "
                + pipeline.optionsInterface().getSimpleName()
                + " (project options: "
                + new TreeSet<>(pipeline.projectOptions().keySet())
                + ")");
      }
    }
    for (String r : pipeline.requiredOptionNames()) {
      if (!used.contains(r)) {
        problems.add(b.where() + ": required option '" + r + "' is not passed");
      }
    }
    Matcher j = JOB_CLASS.matcher(b.code());
    while (j.find()) {
      if (!j.group(1).equals(pipeline.main().getName())) {
        problems.add(
            b.where() + ": job_class " + j.group(1) + " is not " + pipeline.main().getName());
      }
    }
    if (!flexParameters.isEmpty()) {
      Set<String> declared = templateParameters(b.command());
      for (String p : flexParameters) {
        if (!declared.contains(p)) {
          problems.add(
              b.where()
                  + ": Flex Template parameter '"
                  + p
                  + "' is not declared in templates/"
                  + b.command()
                  + "/metadata.json");
        }
      }
    }
    return problems;
  }

  private static Set<String> templateParameters(String command) throws IOException {
    Path spec =
        PipelineCatalog.repoRoot().resolve("templates").resolve(command).resolve("metadata.json");
    Set<String> names = new TreeSet<>();
    if (Files.isRegularFile(spec)) {
      for (JsonNode p : new ObjectMapper().readTree(spec.toFile()).path("parameters")) {
        names.add(p.path("name").asText());
      }
    }
    return names;
  }

  /** Splits a Python file at its markers; the code of each block has comments blanked out. */
  static List<Block> blocks(Path file) throws IOException {
    String raw = Files.readString(file, StandardCharsets.UTF_8);
    String code = blankComments(raw);
    List<Block> out = new ArrayList<>();
    Matcher m = MARKER.matcher(raw);
    List<int[]> starts = new ArrayList<>();
    List<String> commands = new ArrayList<>();
    while (m.find()) {
      starts.add(new int[] {m.start(), m.end()});
      commands.add(m.group(1));
    }
    for (int i = 0; i < starts.size(); i++) {
      int from = starts.get(i)[1];
      int to = i + 1 < starts.size() ? starts.get(i + 1)[0] : raw.length();
      int line = (int) raw.substring(0, starts.get(i)[0]).chars().filter(c -> c == '\n').count();
      out.add(new Block(file, commands.get(i), line + 1, code.substring(from, to)));
    }
    return out;
  }

  /** Replaces Python comments by spaces (offsets kept), leaving string literals alone. */
  static String blankComments(String src) {
    StringBuilder sb = new StringBuilder(src);
    int i = 0;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (c == '"' || c == '\'') {
        i = skipString(src, i);
      } else if (c == '#') {
        while (i < src.length() && src.charAt(i) != '\n') {
          sb.setCharAt(i++, ' ');
        }
      } else {
        i++;
      }
    }
    return sb.toString();
  }

  /** Index just past the string literal that starts at {@code i} (single or triple quoted). */
  static int skipString(String src, int i) {
    char q = src.charAt(i);
    boolean triple = src.startsWith(String.valueOf(q).repeat(3), i);
    int j = i + (triple ? 3 : 1);
    while (j < src.length()) {
      char c = src.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (triple && src.startsWith(String.valueOf(q).repeat(3), j)) {
        return j + 3;
      } else if (!triple && c == q) {
        return j + 1;
      } else if (!triple && c == '\n') {
        return j; // unterminated; py_compile reports it
      } else {
        j++;
      }
    }
    return j;
  }

  /** The string keys at the top level of the dict literal whose '{' is at {@code open}. */
  static List<String> topLevelKeys(String src, int open) {
    List<String> keys = new ArrayList<>();
    int depth = 0;
    int i = open;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (c == '"' || c == '\'') {
        int end = skipString(src, i);
        if (depth == 1) {
          int k = end;
          while (k < src.length() && Character.isWhitespace(src.charAt(k))) {
            k++;
          }
          if (k < src.length() && src.charAt(k) == ':') {
            keys.add(src.substring(i + 1, end - 1));
          }
        }
        i = end;
        continue;
      }
      if (c == '{' || c == '[' || c == '(') {
        depth++;
      } else if (c == '}' || c == ']' || c == ')') {
        depth--;
        if (depth == 0) {
          return keys;
        }
      }
      i++;
    }
    throw new AssertionError("unbalanced dict literal at offset " + open);
  }

  @Test
  void tokenizerFindsKeysAndIgnoresCommentsAndJinja() {
    String py =
        """
        x = {"a": "{{ params.b }}",  # "c": 1
             'd': {"nested": 1}, "e": f"--z={y}", "f":"#not-a-comment"}
        """;
    String code = blankComments(py);
    assertEquals(List.of("a", "d", "e", "f"), topLevelKeys(code, code.indexOf('{')));
    assertFalse(code.contains("\"c\""), code);
  }

  @Test
  void noSecretsInWorkflowFiles() throws IOException {
    Pattern secret =
        Pattern.compile(
            "-----BEGIN [A-Z ]*PRIVATE KEY-----|eyJ[A-Za-z0-9_-]{8,}\\.eyJ|\"private_key_id\"");
    List<Path> files = new ArrayList<>();
    files.addAll(PipelineCatalog.files(PipelineCatalog.repoRoot().resolve("templates"), ""));
    files.addAll(PipelineCatalog.files(PipelineCatalog.repoRoot().resolve("airflow-examples"), ""));
    for (Path f : files) {
      String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      assertFalse(secret.matcher(text).find(), f + " looks like it embeds a key or token");
    }
  }
}
