package dev.modelsigning.pipeline.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsigning.pipeline.SampleModels;
import dev.modelsigning.pipeline.workflows.TemplateSpecsTest.Result;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Airflow, its providers and kfp cannot be installed here (no PyPI), so the DAGs and the KFP file
 * are checked against argument lists read from the providers' and the SDK's sources
 * (provider-signatures.json, each entry naming its source file and version) by
 * check_workflow_calls.py, a Python {@code ast} walk: unknown keyword arguments, missing required
 * ones, imports or attributes not in the lists, and the project's policies (explicit {@code
 * deferrable}, no Jinja that needs a logical date, KFP tasks with caching off) fail the build. The
 * negative cases prove the checker catches each kind of drift.
 *
 * <p>The DAGs' helper functions (run_key, check_report, record_signature) are run on outputs the
 * real pipelines write, so a change of the result or summary format breaks this test.
 */
class WorkflowCallsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FILE_LINE =
      Pattern.compile("(?m)^(.+\\.py): (\\d+) provider calls, (\\d+) local calls checked$");

  @TempDir Path tmp;

  @BeforeAll
  static void pythonIsThere() {
    assertTrue(
        TemplateSpecsTest.onPath("python3"),
        "python3 is required to check the workflow files (README: python3 is a prerequisite)");
  }

  static Path resource(String name) {
    try {
      return Path.of(WorkflowCallsTest.class.getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new AssertionError("test resource " + name + " is missing", e);
    }
  }

  static Result check(List<Path> files) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("python3");
    cmd.add(resource("check_workflow_calls.py").toString());
    cmd.add(resource("provider-signatures.json").toString());
    files.forEach(f -> cmd.add(f.toString()));
    return TemplateSpecsTest.run(cmd, Map.of("PYTHONDONTWRITEBYTECODE", "1"));
  }

  @Test
  void everyCallInTheWorkflowFilesMatchesTheProviderSignatures() throws Exception {
    List<Path> files = WorkflowArgsTest.workflowFiles();
    assertTrue(files.size() >= 3, "expected the DAGs and the KFP file, found " + files);
    Result r = check(files);
    assertEquals(0, r.exitCode(), "workflow calls out of step with the providers:\n" + r.output());
    Matcher m = FILE_LINE.matcher(r.output());
    int seen = 0;
    while (m.find()) {
      seen++;
      assertTrue(
          Integer.parseInt(m.group(2)) >= 5,
          m.group(1) + " had almost no provider calls checked:\n" + r.output());
    }
    assertEquals(files.size(), seen, r.output());
  }

  @Test
  void theCheckerRejectsAirflowDrift() throws Exception {
    Path dag = tmp.resolve("drifted_dag.py");
    Files.writeString(
        dag,
        """
        from airflow.providers.google.cloud.operators.dataflow import DataflowStartFlexTemplateOperator
        from airflow.providers.apache.beam.operators.beam import BeamRunJavaPipelineOperator
        from airflow.operators.bash import BashOperator
        from airflow.sdk import DAG, task
        with DAG(dag_id="x", schedule_interval="@daily"):
            DataflowStartFlexTemplateOperator(
                task_id="a", body={}, location="l", deferrable=True, wait_until_finished=True)
            DataflowStartFlexTemplateOperator(task_id="b", body={}, location="l")
            DataflowStartFlexTemplateOperator(task_id="c", body={}, deferrable=True, email="x")
            BeamRunJavaPipelineOperator(
                task_id="d", jar="j", deferable=False,
                pipeline_options={"report": "{{ params.reports }}/{{ ds_nodash }}"})
            @task(task_id="t")
            def t(summary_file: str, params=None):
                return summary_file
            t(summary=1)
        """);
    Result r = check(List.of(dag));
    assertEquals(1, r.exitCode(), r.output());
    for (String expected :
        List.of(
            "import airflow.operators.bash.BashOperator is not in provider-signatures.json",
            "unknown keyword argument 'schedule_interval'",
            "DataflowStartFlexTemplateOperator: do not pass wait_until_finished",
            "DataflowStartFlexTemplateOperator: must pass deferrable=True explicitly",
            "required argument 'location' is missing",
            "unknown keyword argument 'email'",
            "unknown keyword argument 'deferable'",
            "BeamRunJavaPipelineOperator: must pass deferrable=False explicitly",
            "Jinja 'ds_nodash'",
            "t(): unknown keyword argument 'summary'",
            "t(): required argument 'summary_file' is missing")) {
      assertTrue(r.output().contains(expected), "expected '" + expected + "' in:\n" + r.output());
    }
  }

  @Test
  void theCheckerRejectsKubeflowDrift() throws Exception {
    Path kfp = tmp.resolve("drifted_kfp.py");
    Files.writeString(
        kfp,
        """
        from kfp import dsl, kubernetes
        @dsl.container_component
        def comp(model: str, result: dsl.Output[dsl.Artifact], key: str = None):
            return dsl.ContainerSpec(
                image="i",
                args=[dsl.IfPresentPlaceholder(input_name="keys", then=["--privateKey=x"])])
        @dsl.pipeline(name="p")
        def p(model: str = "m"):
            cached = comp(model=model)
            kubernetes.use_secret_as_volume(cached, secret="s", mount_path="/k")
            also_cached = comp(model=model)
            also_cached.set_caching_options(enable_caching=True)
            ok = comp(model=model).set_caching_options(False)
            ok.set_cachng(False)
            comp(modell=model).set_caching_options(False)
        """);
    Result r = check(List.of(kfp));
    assertEquals(1, r.exitCode(), r.output());
    for (String expected :
        List.of(
            "kfp.kubernetes.use_secret_as_volume: unknown keyword argument 'secret'",
            "kfp.kubernetes.use_secret_as_volume: required argument 'secret_name' is missing",
            "IfPresentPlaceholder input_name 'keys' is not an optional input",
            "kfp.dsl.PipelineTask.set_cachng is not in provider-signatures.json",
            "comp(): unknown keyword argument 'modell'",
            "comp(): required argument 'model' is missing")) {
      assertTrue(r.output().contains(expected), "expected '" + expected + "' in:\n" + r.output());
    }
    assertEquals(
        2,
        r.output().lines().filter(l -> l.contains("needs .set_caching_options(False)")).count(),
        "the two cached tasks (lines 9 and 11) must be named:\n" + r.output());
  }

  // --- the DAGs' helper functions, on what the pipelines really write ---------------------------

  static JsonNode runDagFunction(String dagFile, String function, Map<String, Object> kwargs)
      throws Exception {
    Path dag = PipelineCatalog.repoRoot().resolve("airflow-examples").resolve(dagFile);
    Result r =
        TemplateSpecsTest.run(
            List.of(
                "python3",
                resource("run_dag_function.py").toString(),
                dag.toString(),
                function,
                JSON.writeValueAsString(kwargs)),
            Map.of("PYTHONDONTWRITEBYTECODE", "1"));
    assertEquals(0, r.exitCode(), r.output());
    return JSON.readTree(r.output().lines().reduce((a, b) -> b).orElseThrow());
  }

  static Map<String, Object> dagRun(String logicalDate, String runAfter, String runId) {
    java.util.HashMap<String, Object> run = new java.util.HashMap<>();
    run.put("logical_date", logicalDate);
    run.put("run_after", runAfter);
    run.put("run_id", runId);
    return Map.of("dag_run", Map.of("__dag_run__", run));
  }

  @Test
  void runKeyNeedsNoLogicalDateAndIsUniquePerRun() throws Exception {
    for (String dag : List.of("sign_after_training.py", "reverify_registry.py")) {
      // Airflow 3 manual run without a logical date: run_after is used.
      JsonNode manual =
          runDagFunction(
              dag,
              "run_key",
              dagRun(null, "2026-03-01T09:30:00+00:00", "manual__2026-03-01T09:30:00+00:00"));
      assertEquals(
          "2026-03-01/manual__2026-03-01T09-30-00-00-00", manual.path("returned").asText());
      JsonNode second =
          runDagFunction(
              dag,
              "run_key",
              dagRun(null, "2026-03-01T17:00:00+00:00", "manual__2026-03-01T17:00:00+00:00"));
      assertNotEquals(manual, second, dag + ": two runs on one day must not share a path");
      // Scheduled run (and every Airflow 2 run): the logical date.
      JsonNode scheduled =
          runDagFunction(
              dag,
              "run_key",
              dagRun(
                  "2026-02-28T00:00:00+00:00",
                  "2026-03-01T00:00:00+00:00",
                  "scheduled__2026-02-28T00:00:00+00:00"));
      assertEquals(
          "2026-02-28/scheduled__2026-02-28T00-00-00-00-00", scheduled.path("returned").asText());
    }
  }

  private static void runMain(String command, String... args) throws Exception {
    Class<?> main = PipelineCatalog.forCommand(command).orElseThrow().main();
    try {
      main.getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new AssertionError(command + " failed: " + e.getCause(), e.getCause());
    }
  }

  private static Path sample(String rel) {
    return PipelineCatalog.repoRoot().resolve("pipeline/sample").resolve(rel);
  }

  @Test
  void recordSignaturePushesTheDigestTheSignJobWrote() throws Exception {
    Path model = SampleModels.copyOfSample(Files.createDirectories(tmp.resolve("models")), "run-1");
    Path signResult = tmp.resolve("sign-result.json");
    runMain(
        "sign",
        "--model=" + model,
        "--signer=key",
        "--privateKey=" + sample("keys/demo-private-key.pem"),
        "--resultFile=" + signResult);
    Path digestResult = tmp.resolve("digest-result.json");
    // model_signing's digest hashes model.sig too: leave it out to get the signed digest
    runMain(
        "digest", "--model=" + model, "--ignorePaths=model.sig", "--resultFile=" + digestResult);
    String digest = JSON.readTree(digestResult.toFile()).path("subjectDigest").asText();
    assertTrue(digest.matches("sha256:[0-9a-f]{64}"), digest);

    JsonNode pushed =
        runDagFunction(
                "sign_after_training.py",
                "record_signature",
                Map.of("result_file", signResult.toString()))
            .path("returned");
    assertEquals(digest, pushed.path("subjectDigest").asText(), pushed.toString());
    assertEquals(model.resolve("model.sig").toString(), pushed.path("signature").asText());
    assertTrue(pushed.path("files").asInt() > 0, pushed.toString());
  }

  @Test
  void checkReportFailsTheRunWithTheCountsOfARealReport() throws Exception {
    Path registry = tmp.resolve("registry");
    Path signed =
        SampleModels.copyOfSample(Files.createDirectories(registry.resolve("team-a")), "signed");
    runMain(
        "sign",
        "--model=" + signed,
        "--signer=key",
        "--privateKey=" + sample("keys/demo-private-key.pem"));
    String[] common = {
      "--registry=" + registry,
      "--verifier=key",
      "--publicKey=" + sample("keys/demo-public-key.pem"),
      "--requireSigned=true",
      "--failOnInvalid=false"
    };

    // All verified: the job succeeds and check_report passes the summary on (XCom).
    Path clean = tmp.resolve("reports/clean");
    runMain("verify-registry", concat(common, "--report=" + clean));
    JsonNode ok =
        runDagFunction(
            "reverify_registry.py",
            "check_report",
            Map.of("summary_file", clean.resolve("summary.json").toString()));
    assertEquals(1, ok.path("returned").path("verified").asInt(), ok.toString());

    // An unsigned model: with failOnInvalid=false the job still succeeds (no retry of a
    // finding); check_report fails the run, without retries, naming the counts.
    Path unsigned = Files.createDirectories(registry.resolve("team-b/unsigned"));
    Files.write(unsigned.resolve("model.safetensors"), new byte[] {1, 2, 3});
    Path dirty = tmp.resolve("reports/dirty");
    runMain("verify-registry", concat(common, "--report=" + dirty));
    JsonNode failed =
        runDagFunction(
            "reverify_registry.py",
            "check_report",
            Map.of("summary_file", dirty.resolve("summary.json").toString()));
    assertEquals("AirflowFailException", failed.path("raised").asText(), failed.toString());
    String message = failed.path("message").asText();
    for (String part :
        List.of("1 of 2 models did not verify", "1 unsigned", "0 failed", "1 verified", "report")) {
      assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
