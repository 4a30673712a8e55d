package dev.modelsigning.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.beam.io.PathStyleS3ClientBuilderFactory;
import dev.modelsigning.beam.testing.S3ProxyServer;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.pipeline.SampleModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every feature on a real multi-process cluster, as a user runs it; one subclass per runner starts
 * the cluster. Models and key material live only in S3 (S3Proxy on loopback, reached with the
 * workers' own credentials from their environment, never from the pipeline graph), and the shaded
 * {@code model-signing.jar} runs with {@code java -jar} in another process whose working directory
 * holds nothing the workers could use. The DirectRunner in that same launcher gives the reference
 * digests.
 *
 * <p>Stand-ins: S3Proxy for S3 (real S3 protocol, real AWS SDK client); everything else is the real
 * thing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
abstract class ClusterScenarios {
  private static final String ACCESS = "cluster-access-key";
  static final String SECRET = "cluster-secret-key-0f3a";
  private static final String BUCKET = "registry";
  private static final Pattern HASHED = Pattern.compile("Hashed (\\d+) units? \\(");

  private S3ProxyServer s3proxy;
  private S3Client s3;
  private LauncherProcess launcher;
  private List<String> s3Args;

  /** Starts the cluster under {@code root}; every process gets {@code environment}. */
  abstract void startCluster(Path root, Map<String, String> environment) throws Exception;

  /** Stops every process of the cluster (called even when the start failed half-way). */
  abstract void stopCluster() throws Exception;

  /** The directory under {@code target/} that keeps the processes' logs for a failure's reader. */
  abstract String logDirectory();

  /** The options that send a command to this cluster (runner, master, parallelism). */
  abstract List<String> runnerOptions();

  /** Every log file a worker process wrote, grouped by worker machine. */
  abstract List<List<Path>> workerLogs();

  /** Every log file any process of the cluster wrote. */
  abstract List<Path> allLogs();

  /** The launcher's environment besides the credentials (e.g. the address a driver binds to). */
  Map<String, String> launcherEnvironment() {
    return Map.of();
  }

  /** The launcher's stderr less records the runner itself prints about failed tasks. */
  String withoutRunnerRecords(String err) {
    return err;
  }

  @BeforeAll
  void startStoreAndCluster() throws Exception {
    s3proxy = S3ProxyServer.start(ACCESS, SECRET);
    s3Args =
        List.of(
            "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName(),
            "--endpoint=" + s3proxy.endpoint(),
            "--awsRegion=us-east-1");
    List<String> clientArgs = new ArrayList<>(s3Args);
    clientArgs.add(
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
            + ACCESS
            + "\",\"secretAccessKey\":\""
            + SECRET
            + "\"}");
    S3Options options =
        PipelineOptionsFactory.fromArgs(clientArgs.toArray(String[]::new)).as(S3Options.class);
    s3 = new PathStyleS3ClientBuilderFactory().createBuilder(options).build();
    s3.createBucket(b -> b.bucket(BUCKET));

    uploadModel("models/alpha", 1);
    uploadModel("models/alpha-shards", 1);
    uploadModel("models/beta", 2);
    put("keys/demo-private-key.pem", Files.readAllBytes(SampleModels.demoPrivateKey()));
    put("keys/demo-public-key.pem", Files.readAllBytes(SampleModels.demoPublicKey()));
    TestPki.Chain pki = TestPki.Chain.create("secp256r1");
    put("keys/leaf-key.pem", TestPki.privateKeyPem(pki.leafKey(), TestPki.KeyFormat.PKCS8, null));
    put("keys/leaf.pem", TestPki.pem(pki.leaf()));
    put("keys/intermediate.pem", TestPki.pem(pki.intermediate()));
    put("keys/root.pem", TestPki.pem(pki.root()));

    // The workers' and the launcher's own credentials: in their environment, as on a real
    // cluster (instance profile, workload identity...), never in an option or the graph.
    Map<String, String> credentials =
        Map.of("AWS_ACCESS_KEY_ID", ACCESS, "AWS_SECRET_ACCESS_KEY", SECRET);
    // Under target/, not a temp dir: the processes' logs stay for whoever reads a failure.
    Path root = Path.of("target", logDirectory()).toAbsolutePath();
    deleteRecursively(root);
    startCluster(Files.createDirectories(root), credentials);
    Path jar = Path.of("target", "model-signing.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), jar + " is not built (the package phase builds it)");
    Map<String, String> launcherEnv = new java.util.HashMap<>(credentials);
    launcherEnv.putAll(launcherEnvironment());
    // The launcher's own working directory: nothing in it is reachable by a worker.
    launcher =
        new LauncherProcess(jar, Files.createDirectories(root.resolve("launcher")), launcherEnv);
  }

  @AfterAll
  void stopStoreAndCluster() throws Exception {
    stopCluster();
    if (s3 != null) {
      s3.close();
    }
    if (s3proxy != null) {
      s3proxy.close();
    }
  }

  @Test
  @Order(1)
  void keySignerFilesWithEverythingInS3() throws Exception {
    String alpha = s3("models/alpha");
    String key = "--privateKey=" + s3("keys/demo-private-key.pem");
    String reference = digestLine(onDirectRunner("digest", "--model=" + alpha));

    LauncherProcess.Run sign = onCluster("sign", "--model=" + alpha, "--signer=key", key);
    assertEquals(0, sign.exit(), sign.all());
    assertEquals(reference, digestLine(sign), "cluster vs DirectRunner digest");
    assertTrue(get("models/alpha/model.sig").length > 0);
    List<Long> units = unitsHashedPerWorker();
    assertTrue(
        units.size() > 1 && units.stream().allMatch(n -> n > 0),
        "every worker hashed units: " + units + "\n" + workerLogs());
    assertEquals(10, units.stream().mapToLong(Long::longValue).sum(), "every file hashed once");

    LauncherProcess.Run verify = verifyWithDemoKey(alpha);
    assertEquals(0, verify.exit(), verify.all());
    assertTrue(verify.out().contains("Verified " + alpha), verify.all());
  }

  @Test
  @Order(2)
  void keySignerShardsWithEverythingInS3() throws Exception {
    String key = "--privateKey=" + s3("keys/demo-private-key.pem");
    String shards = s3("models/alpha-shards");
    String[] sharded = {"--method=shards", "--shardSize=262144"};
    String reference =
        digestLine(onDirectRunner("digest", concat(List.of("--model=" + shards), sharded)));
    LauncherProcess.Run sign =
        onCluster("sign", concat(List.of("--model=" + shards, "--signer=key", key), sharded));
    assertEquals(0, sign.exit(), sign.all());
    assertEquals(reference, digestLine(sign), "sharded digest");
    assertTrue(sign.err().contains("signature written to " + shards + "/model.sig"), sign.all());
    LauncherProcess.Run verify = verifyWithDemoKey(shards);
    assertEquals(0, verify.exit(), verify.all());
  }

  @Test
  @Order(3)
  void certificateSignerWithChainInS3() throws Exception {
    String beta = s3("models/beta");
    LauncherProcess.Run sign =
        onCluster(
            "sign",
            "--model=" + beta,
            "--signer=certificate",
            "--privateKey=" + s3("keys/leaf-key.pem"),
            "--signingCertificate=" + s3("keys/leaf.pem"),
            "--certificateChain=" + s3("keys/intermediate.pem"));
    assertEquals(0, sign.exit(), sign.all());
    LauncherProcess.Run verify =
        onCluster(
            "verify",
            "--model=" + beta,
            "--verifier=certificate",
            "--caCertificates=" + s3("keys/root.pem"));
    assertEquals(0, verify.exit(), verify.all());
  }

  @Test
  @Order(4)
  void registryOfS3ModelsWithAPolicyFileInS3() throws Exception {
    put(
        "policy/policy.json",
        ("{\"policies\": ["
                + "{\"prefix\": \"alpha\", \"verifier\": \"key\", \"publicKey\": \""
                + s3("keys/demo-public-key.pem")
                + "\"},"
                + "{\"prefix\": \"beta/\", \"verifier\": \"certificate\", \"caCertificates\": \""
                + s3("keys/root.pem")
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8));
    LauncherProcess.Run run =
        onCluster(
            "verify-registry",
            "--registry=" + s3("models"),
            "--policyFile=" + s3("policy/policy.json"),
            "--report=" + s3("reports/run-1"));
    assertEquals(0, run.exit(), run.all());
    String report = new String(get("reports/run-1/report.jsonl"), StandardCharsets.UTF_8);
    assertTrue(run.out().contains("3 models: 3 verified"), run.all() + "\n" + report);
    String summary = new String(get("reports/run-1/summary.json"), StandardCharsets.UTF_8);
    assertTrue(summary.contains("\"verified\":3"), summary);
    assertEquals(3, report.lines().count(), report);
  }

  @Test
  @Order(5)
  void flippedByteFailsWithExitOneNamingTheFile() throws Exception {
    String file = "models/alpha/weights-00005-of-00008.bin";
    byte[] b = get(file);
    b[4096] ^= 1;
    put(file, b);
    LauncherProcess.Run verify = verifyWithDemoKey(s3("models/alpha"));
    assertEquals(1, verify.exit(), verify.all());
    assertTrue(verify.err().contains("weights-00005-of-00008.bin"), verify.all());
    assertOneLineCause(verify);
  }

  @Test
  @Order(6)
  void missingKeyFailsWithOneLineNamingOptionAndLocation() throws Exception {
    String missing = s3("keys/no-such-key.pem");
    LauncherProcess.Run sign =
        onCluster(
            "sign", "--model=" + s3("models/beta"), "--signer=key", "--privateKey=" + missing);
    assertTrue(sign.exit() == 1 || sign.exit() == 2, sign.all());
    assertTrue(sign.err().contains("--privateKey '" + missing + "' does not exist"), sign.all());
    assertOneLineCause(sign);
  }

  @Test
  @Order(7)
  void noSecretReachesTheClusterLogs() throws Exception {
    List<Path> logs = allLogs();
    assertTrue(logs.size() > 2, "the processes' logs were found: " + logs);
    String privateKey = Files.readString(SampleModels.demoPrivateKey());
    String keyBody =
        privateKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    for (Path log : logs) {
      String text = read(log);
      assertFalse(text.contains(SECRET), "the S3 secret key appears in " + log);
      assertFalse(text.contains(keyBody), "private key material appears in " + log);
    }
  }

  /** The cause is one line, the CLI's last, not a page of stack trace. */
  private void assertOneLineCause(LauncherProcess.Run run) {
    String cli = withoutRunnerRecords(run.err());
    assertFalse(cli.contains("\tat "), "a stack trace was printed:\n" + run.all());
    List<String> lines = cli.lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.stream().filter(ClusterScenarios::isCause).count(), run.all());
    assertTrue(isCause(lines.get(lines.size() - 1)), "the cause is the last line:\n" + run.all());
  }

  static boolean isCause(String line) {
    return line.startsWith("error: ") || line.startsWith("verification failed: ");
  }

  /** A command on the cluster. */
  private LauncherProcess.Run onCluster(String command, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(s3Args);
    all.addAll(runnerOptions());
    // eight 1 MiB files: tasks of ~2 MiB, so there is work for every worker
    all.add("--hashBatchBytes=" + (2 << 20));
    return launcher.run(all);
  }

  /** {@code verify} on the cluster with the demo public key, from S3. */
  private LauncherProcess.Run verifyWithDemoKey(String model) throws Exception {
    return onCluster(
        "verify",
        "--model=" + model,
        "--verifier=key",
        "--publicKey=" + s3("keys/demo-public-key.pem"));
  }

  /** The same command on the DirectRunner in the launcher's JVM: the reference digests. */
  private LauncherProcess.Run onDirectRunner(String command, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(s3Args);
    all.add("--runner=DirectRunner");
    return launcher.run(all);
  }

  /** Units hashed, as the workers logged them, by worker machine. */
  private List<Long> unitsHashedPerWorker() {
    List<Long> perWorker = new ArrayList<>();
    for (List<Path> logs : workerLogs()) {
      long units = 0;
      for (Path log : logs) {
        Matcher m = HASHED.matcher(read(log));
        while (m.find()) {
          units += Long.parseLong(m.group(1));
        }
      }
      perWorker.add(units);
    }
    return perWorker;
  }

  private static String digestLine(LauncherProcess.Run run) {
    Matcher m = Pattern.compile("(?m)^sha256:[0-9a-f]{64}$").matcher(run.out());
    assertTrue(m.find(), run.all());
    return m.group();
  }

  /** Eight 1 MiB weight files and a nested tokenizer: enough units for every worker. */
  private void uploadModel(String prefix, int seed) {
    Random random = new Random(seed);
    for (int i = 1; i <= 8; i++) {
      byte[] b = new byte[1 << 20];
      random.nextBytes(b);
      put(prefix + String.format("/weights-%05d-of-00008.bin", i), b);
    }
    put(prefix + "/config.json", "{\"layers\": 8}".getBytes(StandardCharsets.UTF_8));
    put(prefix + "/tokenizer/vocab.txt", "a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
  }

  private void put(String key, String text) {
    put(key, text.getBytes(StandardCharsets.UTF_8));
  }

  private void put(String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  private byte[] get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  private static String s3(String key) {
    return "s3://" + BUCKET + "/" + key;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] concat(List<String> first, String... rest) {
    List<String> all = new ArrayList<>(first);
    all.addAll(Arrays.asList(rest));
    return all.toArray(String[]::new);
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (Files.exists(root)) {
      try (var walk = Files.walk(root)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
