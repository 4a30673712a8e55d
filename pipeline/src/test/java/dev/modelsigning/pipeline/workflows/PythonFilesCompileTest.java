package dev.modelsigning.pipeline.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsigning.pipeline.workflows.TemplateSpecsTest.Result;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow files at least parse: every .py under airflow-examples/ compiles (syntax only;
 * neither Airflow nor kfp is needed), every .json and .yaml under templates/ and airflow-examples/
 * is well-formed.
 */
class PythonFilesCompileTest {
  @TempDir Path pycache;

  private static Path root() {
    return PipelineCatalog.repoRoot();
  }

  @TestFactory
  Stream<DynamicTest> pythonFilesCompile() throws IOException {
    List<Path> py = PipelineCatalog.files(root().resolve("airflow-examples"), ".py");
    assertFalse(py.isEmpty(), "no .py files under airflow-examples/");
    return py.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    root().relativize(f).toString(),
                    () -> {
                      assertTrue(
                          TemplateSpecsTest.onPath("python3"),
                          "python3 is required to compile the workflow files");
                      // Bytecode goes to a temp dir, not __pycache__ beside the sources.
                      Result r =
                          TemplateSpecsTest.run(
                              List.of("python3", "-m", "py_compile", f.toString()),
                              Map.of("PYTHONPYCACHEPREFIX", pycache.toString()));
                      assertEquals(0, r.exitCode(), f + " does not compile:\n" + r.output());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> jsonFilesParse() throws IOException {
    ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    List<Path> files = new ArrayList<>();
    files.addAll(PipelineCatalog.files(root().resolve("templates"), ".json"));
    files.addAll(PipelineCatalog.files(root().resolve("airflow-examples"), ".json"));
    assertFalse(files.isEmpty(), "no .json files under templates/");
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    root().relativize(f).toString(),
                    () -> assertTrue(json.readTree(f.toFile()).isObject(), f + " is no object")));
  }

  /**
   * YAML through SnakeYAML, which the Dataflow runner brings onto the classpath (reflection, so
   * this test still compiles, and fails by name, if it ever goes away).
   */
  @TestFactory
  Stream<DynamicTest> yamlFilesParse() throws IOException {
    List<Path> files = new ArrayList<>();
    files.addAll(PipelineCatalog.files(root().resolve("templates"), ".yaml", ".yml"));
    files.addAll(PipelineCatalog.files(root().resolve("airflow-examples"), ".yaml", ".yml"));
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    root().relativize(f).toString(),
                    () -> {
                      Class<?> yamlClass;
                      try {
                        yamlClass = Class.forName("org.yaml.snakeyaml.Yaml");
                      } catch (ClassNotFoundException e) {
                        fail("SnakeYAML is not on the test classpath; cannot check " + f);
                        return;
                      }
                      Object yaml = yamlClass.getConstructor().newInstance();
                      Method loadAll = yamlClass.getMethod("loadAll", InputStream.class);
                      try (InputStream in = Files.newInputStream(f)) {
                        int docs = 0;
                        for (Object doc : (Iterable<?>) loadAll.invoke(yaml, in)) {
                          assertTrue(doc instanceof Map, f + ": a document is not a mapping");
                          docs++;
                        }
                        assertTrue(docs > 0, f + " is empty");
                      } catch (java.lang.reflect.InvocationTargetException e) {
                        fail(f + " is not valid YAML: " + e.getCause().getMessage());
                      }
                    }));
  }

  @Test
  void cloudBuildConfigBuildsOneImagePerTemplate() throws Exception {
    Path config = root().resolve("templates/cloudbuild.yaml");
    String text = Files.readString(config);
    assertTrue(text.contains("--build-arg \"MAIN_CLASS=$$MAIN_CLASS\""), text);
    assertTrue(text.contains(". \"./$$t/template.env\""), text);
  }
}
