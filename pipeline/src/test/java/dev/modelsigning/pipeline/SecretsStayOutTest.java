package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.pipeline.options.SignModelOptions;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.util.construction.PipelineOptionsTranslation;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never enter what a runner ships, stores or shows: the pipeline graph (every serialized
 * DoFn, as a runner receives it), the options (as a runner records them in job metadata) and the
 * log lines of a run. Only the secrets' locations do; the signing worker reads them.
 */
class SecretsStayOutTest {
  private static final String PASSWORD = "s3cret-key-password-71f2";
  private static final String TOKEN = "eyJ-not-a-real-token.secret-token-payload-5b1e";

  @TempDir Path tmp;

  @Test
  void passwordKeyAndTokenStayOutOfGraphOptionsAndLogs() throws Exception {
    TestPems.KeyFiles key = TestPems.newEncryptedKey(tmp, PASSWORD);
    Path password = Files.writeString(tmp.resolve("password"), PASSWORD + "\n");
    Path token = Files.writeString(tmp.resolve("token"), TOKEN);
    Path model = SampleModels.copyOfSample(tmp, "model");
    String[] args = {
      "--model=" + model,
      "--signer=key",
      "--privateKey=" + key.privateKey(),
      "--privateKeyPasswordFile=" + password,
      "--identityTokenFile=" + token,
      "--runner=DirectRunner"
    };
    List<String> secrets = secretsOf(key.privateKey());

    SignModelOptions options = PipelineOptionsFactory.fromArgs(args).as(SignModelOptions.class);
    Pipeline pipeline = SignModelPipeline.create(options);
    byte[] graph = transformsAsShipped(pipeline);
    String optionsJson = PipelineOptionsTranslation.toJson(options);
    for (String secret : secrets) {
      assertFalse(contains(graph, secret), "a secret is in the pipeline graph: " + secret);
      assertFalse(optionsJson.contains(secret), "a secret is in the options: " + secret);
      assertFalse(options.toString().contains(secret), "a secret is in the options' text");
    }
    // The locations are there: that is how the worker finds them.
    assertTrue(contains(graph, password.toString()));

    PrintStream err = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    Cli run;
    try {
      run = Cli.run(("sign " + String.join(" ", args)).split(" "));
    } finally {
      System.setErr(err);
    }
    assertEquals(0, run.exitCode(), run.all());
    String everything = logs.toString(StandardCharsets.UTF_8) + run.all();
    assertTrue(everything.contains("Signed "), "the run's log lines were captured");
    for (String secret : secrets) {
      assertFalse(everything.contains(secret), "a secret was logged: " + secret);
    }
  }

  /**
   * Every transform of the graph (DoFns, Create's elements, their specs) Java-serialized without
   * the compression Beam's payloads use, so the bytes can be searched; plus the portable graph
   * proto itself.
   */
  private static byte[] transformsAsShipped(Pipeline pipeline) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(PipelineTranslation.toProto(pipeline).toByteArray());
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            try (ObjectOutputStream out = new ObjectOutputStream(all)) {
              out.writeObject(node.getTransform());
            } catch (java.io.IOException e) {
              throw new AssertionError(node.getFullName() + " is not serializable", e);
            }
          }
        });
    return all.toByteArray();
  }

  /** The password, the token, and every line of the key's PEM body. */
  private static List<String> secretsOf(Path privateKey) throws Exception {
    List<String> out = new java.util.ArrayList<>(List.of(PASSWORD, TOKEN));
    Files.readAllLines(privateKey).stream()
        .filter(l -> !l.startsWith("-----") && l.length() > 20)
        .forEach(out::add);
    out.add(Base64.getEncoder().encodeToString(Files.readAllBytes(privateKey)).substring(0, 40));
    return out;
  }

  private static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
