package dev.modelsigning.pipeline.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelsigning.pipeline.SampleModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs pipeline/target/model-signing.jar as users, Airflow and the Flex Template launcher do: in a
 * separate JVM, with no Maven classpath. Runs in the failsafe integration-test phase (after package
 * built the jar); fails when the jar is absent, since then the phase order is broken.
 */
class ShadedJarIT {
  private static Path jar;
  @TempDir Path tmp;

  @BeforeAll
  static void findJar() {
    jar = PipelineCatalog.repoRoot().resolve("pipeline/target/model-signing.jar");
    assertTrue(
        Files.isRegularFile(jar), jar + " is not built (mvn -B package or verify builds it)");
  }

  record Run(int exit, String out, String err) {
    String all() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private Run java(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.addAll(List.of(args));
    return run(cmd, Map.of());
  }

  private Run run(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().remove("CLASSPATH");
    pb.environment().putAll(env);
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + cmd);
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Run cli(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("-jar", jar.toString()));
    all.addAll(List.of(args));
    return java(all.toArray(String[]::new));
  }

  private Path sampleModelCopy(String name) {
    return SampleModels.copyOfSample(tmp, name);
  }

  private static void assertNoStackTrace(Run r) {
    assertFalse(r.err.contains("\tat ") || r.err.contains("Exception in thread"), r.all());
  }

  @Test
  void digestPrintsTheSubjectDigest() throws Exception {
    Path model = sampleModelCopy("digest-model");
    Run r = cli("digest", "--model=" + model);
    assertEquals(0, r.exit, r.all());
    assertTrue(r.out.strip().lines().anyMatch(l -> l.matches("sha256:[0-9a-f]{64}")), r.all());
  }

  @Test
  void signHelpListsTheOptions() throws Exception {
    Run r = cli("sign", "--help");
    assertEquals(0, r.exit, r.all());
    for (String o : List.of("--model", "--signer", "--privateKey", "--method", "--overwrite")) {
      assertTrue(r.out.contains(o), o + " missing from sign --help:\n" + r.all());
    }
  }

  @Test
  void badOptionIsAUsageErrorWithoutStackTrace() throws Exception {
    Run r = cli("sign", "--model=" + tmp, "--noSuchOption=1");
    assertEquals(2, r.exit, r.all());
    assertTrue(r.err.contains("noSuchOption"), r.all());
    assertNoStackTrace(r);

    // --name value works like --name=value (Beam alone would refuse it)
    Run spaced = cli("digest", "--model", tmp.toString());
    assertEquals(0, spaced.exit, spaced.all());
    assertTrue(spaced.out.startsWith("sha256:"), spaced.all());
    assertNoStackTrace(spaced);
  }

  @Test
  void keySignThenVerifyRoundTrip() throws Exception {
    Path model = sampleModelCopy("signed-model");
    Path keys = PipelineCatalog.repoRoot().resolve("pipeline/sample/keys");
    Run sign =
        cli(
            "sign",
            "--model=" + model,
            "--signer=key",
            "--privateKey=" + keys.resolve("demo-private-key.pem"));
    assertEquals(0, sign.exit, sign.all());
    assertTrue(Files.isRegularFile(model.resolve("model.sig")), sign.all());

    String publicKey = "--publicKey=" + keys.resolve("demo-public-key.pem");
    Run verify = cli("verify", "--model=" + model, "--verifier=key", publicKey);
    assertEquals(0, verify.exit, verify.all());

    Files.writeString(model.resolve("config.json"), "{\"tampered\": true}\n");
    Run tampered = cli("verify", "--model=" + model, "--verifier=key", publicKey);
    assertEquals(1, tampered.exit, tampered.all());
    assertTrue(tampered.err.contains("config.json"), tampered.all());
    assertNoStackTrace(tampered);
  }

  /**
   * The launcher script users run for a faster start: the first run dumps a class-data archive
   * beside the jar, later runs map it; output and exit codes are the CLI's own.
   */
  @Test
  void launcherScriptCreatesAndReusesItsClassArchive() throws Exception {
    Path linkedJar = Files.createSymbolicLink(tmp.resolve("model-signing.jar"), jar);
    Path archive = tmp.resolve("model-signing.jsa");
    Path model = sampleModelCopy("launched-model");
    Path keys = PipelineCatalog.repoRoot().resolve("pipeline/sample/keys");
    String[] sign = {
      "sign",
      "--model=" + model,
      "--signer=key",
      "--privateKey=" + keys.resolve("demo-private-key.pem"),
      "--overwrite=true"
    };
    Run first = launcher(linkedJar, sign);
    assertEquals(0, first.exit, first.all());
    assertTrue(first.out.startsWith("sha256:"), first.all());
    assertTrue(Files.size(archive) > 0, "no class archive after the first run");
    FileTime dumped = Files.getLastModifiedTime(archive);

    Run second = launcher(linkedJar, sign);
    assertEquals(0, second.exit, second.all());
    assertEquals(first.out, second.out);
    assertEquals(dumped, Files.getLastModifiedTime(archive), "the archive was dumped again");
    Run verify =
        launcher(
            linkedJar,
            "verify",
            "--model=" + model,
            "--verifier=key",
            "--publicKey=" + keys.resolve("demo-public-key.pem"),
            "--noSuchOption=1");
    assertEquals(2, verify.exit, verify.all()); // a usage error passes through unchanged
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".jsa.tmp")));
    }
  }

  private Run launcher(Path jarPath, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(PipelineCatalog.repoRoot().resolve("pipeline/bin/model-signing").toString());
    cmd.addAll(List.of(args));
    return run(
        cmd,
        Map.of(
            "MODEL_SIGNING_JAR", jarPath.toString(),
            "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "MODEL_SIGNING_JAVA_OPTS", "-XX:+UseSerialGC -Xmx512m"));
  }

  /** What Airflow's BeamRunJavaPipelineOperator runs: java -cp jar <main> --name=value. */
  @Test
  void pipelineMainsRunFromTheJarAndFailNonZero() throws Exception {
    Path model = sampleModelCopy("main-model");
    Path result = tmp.resolve("digest-result.json");
    Run digest =
        java(
            "-cp",
            jar.toString(),
            "dev.modelsigning.pipeline.DigestModelPipeline",
            "--model=" + model,
            "--resultFile=" + result);
    assertEquals(0, digest.exit, digest.all());
    assertTrue(Files.readString(result).contains("sha256"), Files.readString(result));

    // No signature: the job fails, and so must the process (that fails the Airflow task).
    Run verify =
        java(
            "-cp",
            jar.toString(),
            "dev.modelsigning.pipeline.VerifyModelPipeline",
            "--model=" + model,
            "--verifier=key",
            "--publicKey=" + tmp.resolve("none.pem"));
    assertNotEquals(0, verify.exit, verify.all());
  }

  /** The traps of DESIGN section 4 for Flex Templates, checked in the jar itself. */
  @Test
  void jarRegistersFilesystemsAndTheDataflowRunner() throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      assertEquals(
          "dev.modelsigning.pipeline.cli.ModelSigningCli",
          j.getManifest().getMainAttributes().getValue("Main-Class"));
      String fs = entry(j, "META-INF/services/org.apache.beam.sdk.io.FileSystemRegistrar");
      assertTrue(fs.contains("GcsFileSystemRegistrar"), "gs:// not registered:\n" + fs);
      assertTrue(fs.contains("S3FileSystemRegistrar"), "s3:// not registered:\n" + fs);
      String runners =
          entry(j, "META-INF/services/org.apache.beam.sdk.runners.PipelineRunnerRegistrar");
      assertTrue(runners.contains("DataflowPipelineRegistrar"), runners);
      assertTrue(runners.contains("DirectRegistrar"), runners);
      assertTrue(
          j.getEntry("org/hamcrest/Matcher.class") != null,
          "hamcrest missing: the Dataflow runner fails at start-up without it");
      for (String main : PipelineCatalog.MAINS.values()) {
        assertTrue(j.getEntry(main.replace('.', '/') + ".class") != null, main + " not in jar");
      }
    }
  }

  private static String entry(JarFile j, String name) throws IOException {
    var e = j.getEntry(name);
    assertTrue(e != null, name + " missing from the jar");
    try (InputStream in = j.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
