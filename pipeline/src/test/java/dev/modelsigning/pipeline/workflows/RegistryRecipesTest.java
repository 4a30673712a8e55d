package dev.modelsigning.pipeline.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry recipes of docs/registries.md, run on local copies of each registry's layout: the
 * Hugging Face hub cache (snapshots/&lt;rev&gt;/ entries are symlinks into blobs/), MLflow model
 * artifacts (an MLmodel file per model) and Vertex AI artifact directories, each with the marker
 * glob the recipe gives.
 */
class RegistryRecipesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  static Path key(String name) {
    return PipelineCatalog.repoRoot().resolve("pipeline/sample/keys").resolve(name);
  }

  static void main(String command, List<String> args) throws Throwable {
    Class<?> main = PipelineCatalog.forCommand(command).orElseThrow().main();
    try {
      main.getMethod("main", String[].class).invoke(null, (Object) args.toArray(String[]::new));
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  static void sign(Path model, String... extra) throws Throwable {
    List<String> args = new ArrayList<>(List.of("--model=" + model, "--signer=key"));
    args.add("--privateKey=" + key("demo-private-key.pem"));
    args.addAll(List.of(extra));
    main("sign", args);
  }

  /** verify-registry as the recipes run it; returns summary.json. */
  JsonNode reverify(Path registry, String marker, String name) throws Throwable {
    Path out = tmp.resolve("reports").resolve(name);
    main(
        "verify-registry",
        List.of(
            "--registry=" + registry,
            "--verifier=key",
            "--publicKey=" + key("demo-public-key.pem"),
            "--requireSigned=true",
            "--modelMarker=" + marker,
            "--failOnInvalid=false",
            "--report=" + out));
    return JSON.readTree(out.resolve("summary.json").toFile());
  }

  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  static void assertCounts(JsonNode summary, int verified, int failed, int unsigned) {
    assertEquals(verified, summary.path("verified").asInt(), summary.toString());
    assertEquals(failed, summary.path("failed").asInt(), summary.toString());
    assertEquals(unsigned, summary.path("unsigned").asInt(), summary.toString());
    assertEquals(0, summary.path("error").asInt(), summary.toString());
  }

  @Test
  void huggingFaceCacheSnapshotsNeedAllowSymlinksAndBlobsAreWhatIsSigned() throws Throwable {
    Path hub = tmp.resolve("hub");
    Path repo = hub.resolve("models--acme--tiny-llm");
    Path weights = write(repo.resolve("blobs/4f1c0a"), "weights v1");
    write(repo.resolve("blobs/9b2e77"), "{\"model_type\": \"tiny\"}");
    write(repo.resolve("refs/main"), "rev1");
    Path rev1 = Files.createDirectories(repo.resolve("snapshots/rev1"));
    Files.createSymbolicLink(rev1.resolve("model.safetensors"), Path.of("../../blobs/4f1c0a"));
    Files.createSymbolicLink(rev1.resolve("config.json"), Path.of("../../blobs/9b2e77"));
    Path rev2 = Files.createDirectories(repo.resolve("snapshots/rev2"));
    Files.createSymbolicLink(rev2.resolve("model.safetensors"), Path.of("../../blobs/4f1c0a"));

    // Without --allowSymlinks the snapshot's links are refused, naming one of them.
    Throwable refused = assertThrows(Throwable.class, () -> sign(rev1));
    assertTrue(String.valueOf(refused.getMessage()).contains("symlink"), refused.toString());

    sign(rev1, "--allowSymlinks=true");
    assertTrue(Files.isRegularFile(rev1.resolve("model.sig")));
    // rev2 holds a marker file but no signature: reported unsigned.
    assertCounts(reverify(hub, "*.safetensors", "hf-1"), 1, 0, 1);

    // The signature covers the blob the link points to: changing it fails verification.
    Files.writeString(weights, "weights v2");
    assertCounts(reverify(hub, "*.safetensors", "hf-2"), 0, 1, 1);
  }

  @Test
  void mlflowModelDirectoriesAreFoundByTheirMlmodelFile() throws Throwable {
    Path artifacts = tmp.resolve("mlflow-artifacts");
    Path v1 = artifacts.resolve("1/0a1b2c/artifacts/model");
    write(v1.resolve("MLmodel"), "flavors:\n  python_function: {}\n");
    write(v1.resolve("model.pkl"), "pickle bytes");
    write(v1.resolve("requirements.txt"), "scikit-learn==1.5.0\n");
    Path v2 = artifacts.resolve("1/3d4e5f/artifacts/model");
    write(v2.resolve("MLmodel"), "flavors:\n  python_function: {}\n");
    write(v2.resolve("model.pkl"), "other pickle");
    write(artifacts.resolve("1/0a1b2c/artifacts/metrics.json"), "{}");

    sign(v1);
    assertCounts(reverify(artifacts, "MLmodel", "mlflow"), 1, 0, 1);
  }

  @Test
  void vertexArtifactDirectoriesAreFoundByTheFrameworkFiles() throws Throwable {
    Path bucket = tmp.resolve("vertex-models");
    Path tf = bucket.resolve("fraud/2026-03-01");
    write(tf.resolve("saved_model.pb"), "graph");
    write(tf.resolve("variables/variables.index"), "index");
    write(tf.resolve("variables/variables.data-00000-of-00001"), "data");
    Path sk = bucket.resolve("churn/2026-02-01");
    write(sk.resolve("model.joblib"), "joblib bytes");

    sign(tf);
    String marker = "{saved_model.pb,model.joblib,model.pkl,model.bst}";
    JsonNode summary = reverify(bucket, marker, "vertex");
    assertCounts(summary, 1, 0, 1);
    // The TensorFlow variables/ subdirectory is part of the signed model, not a model of its own.
    assertEquals(2, summary.path("models").asInt(), summary.toString());
  }
}
