package dev.modelsigning.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.beam.io.PathStyleS3ClientBuilderFactory;
import dev.modelsigning.beam.testing.S3ProxyServer;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.pipeline.SampleModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every feature on a real multi-process Spark cluster, as a user runs it: a Spark 3.5 standalone
 * cluster (one Master, two Workers, each its own JVM with its own working and temp directories, on
 * a Spark-only classpath laid out as a distribution's SPARK_HOME/jars), whose Workers start the
 * executors as further JVMs; models and key material only in S3 (S3Proxy on loopback, reached with
 * the workers' own credentials from their environment, never from the pipeline graph); and the
 * shaded {@code model-signing.jar} run with {@code java -jar} as the driver (client mode) in
 * another process whose working directory holds nothing the executors could use. The executors get
 * the jar from the driver, as Spark ships an application jar.
 *
 * <p>Stand-ins: S3Proxy for S3 (real S3 protocol, real AWS SDK client); everything else is the real
 * thing. Runs with the {@code spark} profile after {@code package} ({@code .ci/run}).
 */
@EnabledIf("sparkProfile")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SparkClusterIT {
  private static final String ACCESS = "cluster-access-key";
  private static final String SECRET = "cluster-secret-key-0f3a";
  private static final String BUCKET = "registry";

  @TempDir static Path tmp;
  private static S3ProxyServer s3proxy;
  private static S3Client s3;
  private static SparkCluster cluster;
  private static LauncherProcess launcher;
  private static List<String> s3Args;
  private static TestPki.Chain pki;

  static boolean sparkProfile() {
    try {
      Class.forName("org.apache.beam.runners.spark.SparkRunner");
    } catch (ClassNotFoundException e) {
      return false; // default build: the spark profile runs this
    }
    if (!Files.isRegularFile(SparkCluster.classpathFile())) {
      throw new IllegalStateException(
          "spark profile without " + SparkCluster.classpathFile() + " (built by spark-cluster)");
    }
    return true;
  }

  @BeforeAll
  static void startClusterAndStore() throws Exception {
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
    pki = TestPki.Chain.create("secp256r1");
    put("keys/leaf-key.pem", TestPki.privateKeyPem(pki.leafKey(), TestPki.KeyFormat.PKCS8, null));
    put("keys/leaf.pem", TestPki.pem(pki.leaf()));
    put("keys/intermediate.pem", TestPki.pem(pki.intermediate()));
    put("keys/root.pem", TestPki.pem(pki.root()));

    // The workers' and the launcher's own credentials: in their environment, as on a real
    // cluster (instance profile, workload identity...), never in an option or the graph.
    Map<String, String> credentials =
        Map.of("AWS_ACCESS_KEY_ID", ACCESS, "AWS_SECRET_ACCESS_KEY", SECRET);
    // Under target/, not a temp dir: the processes' logs stay for whoever reads a failure.
    Path root = Path.of("target", "spark-cluster-it").toAbsolutePath();
    deleteRecursively(root);
    cluster = SparkCluster.start(Files.createDirectories(root), 2, credentials);
    Path jar = Path.of("target", "model-signing.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), jar + " is not built (the package phase builds it)");
    // The driver binds to loopback, as the cluster does (else Spark picks the host's address).
    Map<String, String> driverEnv = new java.util.HashMap<>(credentials);
    driverEnv.put("SPARK_LOCAL_IP", "127.0.0.1");
    launcher =
        new LauncherProcess(jar, Files.createDirectories(tmp.resolve("launcher")), driverEnv);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster.deleteFetchedJars();
    }
    if (s3 != null) {
      s3.close();
    }
    if (s3proxy != null) {
      s3proxy.close();
    }
  }

  private static void deleteRecursively(Path root) throws java.io.IOException {
    if (Files.exists(root)) {
      try (var walk = Files.walk(root)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** Eight 1 MiB weight files and a nested tokenizer: enough units for both TaskManagers. */
  private static void uploadModel(String prefix, int seed) {
    Random random = new Random(seed);
    for (int i = 1; i <= 8; i++) {
      byte[] b = new byte[1 << 20];
      random.nextBytes(b);
      put(prefix + String.format("/weights-%05d-of-00008.bin", i), b);
    }
    put(prefix + "/config.json", "{\"layers\": 8}".getBytes(StandardCharsets.UTF_8));
    put(prefix + "/tokenizer/vocab.txt", "a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
  }

  private static void put(String key, String text) {
    put(key, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void put(String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  private static byte[] get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  private static String s3(String key) {
    return "s3://" + BUCKET + "/" + key;
  }

  /** A command on the Spark cluster. */
  private static LauncherProcess.Run onSpark(String command, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(s3Args);
    all.addAll(
        List.of(
            "--runner=SparkRunner",
            "--sparkMaster=" + cluster.master(),
            // eight 1 MiB files: tasks of ~2 MiB, so there is work for both executors
            "--hashBatchBytes=" + (2 << 20)));
    return launcher.run(all);
  }

  /** The same command on the DirectRunner in the launcher's JVM: the reference digests. */
  private static LauncherProcess.Run onDirectRunner(String command, String... args)
      throws Exception {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(s3Args);
    all.add("--runner=DirectRunner");
    return launcher.run(all);
  }

  private static String digestLine(LauncherProcess.Run run) {
    Matcher m = Pattern.compile("(?m)^sha256:[0-9a-f]{64}$").matcher(run.out());
    assertTrue(m.find(), run.all());
    return m.group();
  }

  /** Units hashed, as the executors logged them, by Worker (summed over its executors). */
  private static List<Long> unitsHashedPerWorker() {
    List<Long> perWorker = new ArrayList<>();
    Pattern hashed = Pattern.compile("Hashed (\\d+) units? \\(");
    for (List<Path> logs : cluster.executorLogs()) {
      long units = 0;
      for (Path log : logs) {
        Matcher m = hashed.matcher(SparkCluster.read(log));
        while (m.find()) {
          units += Long.parseLong(m.group(1));
        }
      }
      perWorker.add(units);
    }
    return perWorker;
  }

  @Test
  @Order(1)
  void keySignerFilesWithEverythingInS3() throws Exception {
    String alpha = s3("models/alpha");
    String key = "--privateKey=" + s3("keys/demo-private-key.pem");
    String reference = digestLine(onDirectRunner("digest", "--model=" + alpha));

    LauncherProcess.Run sign = onSpark("sign", "--model=" + alpha, "--signer=key", key);
    assertEquals(0, sign.exit(), sign.all());
    assertEquals(reference, digestLine(sign), "Spark cluster vs DirectRunner digest");
    assertTrue(get("models/alpha/model.sig").length > 0);
    List<Long> units = unitsHashedPerWorker();
    assertTrue(
        units.stream().allMatch(n -> n > 0),
        "executors of both Workers hashed units: " + units + "\n" + cluster.executorLogs());
    assertEquals(10, units.stream().mapToLong(Long::longValue).sum(), "every file hashed once");

    LauncherProcess.Run verify =
        onSpark(
            "verify",
            "--model=" + alpha,
            "--verifier=key",
            "--publicKey=" + s3("keys/demo-public-key.pem"));
    assertEquals(0, verify.exit(), verify.all());
    assertTrue(verify.out().contains("Verified " + alpha), verify.all());
  }

  @Test
  @Order(2)
  void keySignerShardsWithEverythingInS3() throws Exception {
    String key = "--privateKey=" + s3("keys/demo-private-key.pem");
    String shards = s3("models/alpha-shards");
    String[] sharded = {"--method=shards", "--shardSize=262144"};
    String shardReference =
        digestLine(onDirectRunner("digest", concat(List.of("--model=" + shards), sharded)));
    LauncherProcess.Run signShards =
        onSpark("sign", concat(List.of("--model=" + shards, "--signer=key", key), sharded));
    assertEquals(0, signShards.exit(), signShards.all());
    assertEquals(shardReference, digestLine(signShards), "sharded digest");
    assertTrue(signShards.err().contains("signature written to " + shards + "/model.sig"));
    LauncherProcess.Run verifyShards =
        onSpark(
            "verify",
            "--model=" + shards,
            "--verifier=key",
            "--publicKey=" + s3("keys/demo-public-key.pem"));
    assertEquals(0, verifyShards.exit(), verifyShards.all());
  }

  @Test
  @Order(3)
  void certificateSignerWithChainInS3() throws Exception {
    String beta = s3("models/beta");
    LauncherProcess.Run sign =
        onSpark(
            "sign",
            "--model=" + beta,
            "--signer=certificate",
            "--privateKey=" + s3("keys/leaf-key.pem"),
            "--signingCertificate=" + s3("keys/leaf.pem"),
            "--certificateChain=" + s3("keys/intermediate.pem"));
    assertEquals(0, sign.exit(), sign.all());
    LauncherProcess.Run verify =
        onSpark(
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
        "{\"policies\": ["
            + "{\"prefix\": \"alpha\", \"verifier\": \"key\", \"publicKey\": \""
            + s3("keys/demo-public-key.pem")
            + "\"},"
            + "{\"prefix\": \"beta/\", \"verifier\": \"certificate\", \"caCertificates\": \""
            + s3("keys/root.pem")
            + "\"}]}");
    LauncherProcess.Run run =
        onSpark(
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
    LauncherProcess.Run verify =
        onSpark(
            "verify",
            "--model=" + s3("models/alpha"),
            "--verifier=key",
            "--publicKey=" + s3("keys/demo-public-key.pem"));
    assertEquals(1, verify.exit(), verify.all());
    assertTrue(verify.err().contains("weights-00005-of-00008.bin"), verify.all());
    assertOneLineCause(verify);
  }

  @Test
  @Order(6)
  void missingKeyFailsWithOneLineNamingOptionAndLocation() throws Exception {
    String missing = s3("keys/no-such-key.pem");
    LauncherProcess.Run sign =
        onSpark("sign", "--model=" + s3("models/beta"), "--signer=key", "--privateKey=" + missing);
    assertTrue(sign.exit() == 1 || sign.exit() == 2, sign.all());
    assertTrue(sign.err().contains("--privateKey '" + missing + "' does not exist"), sign.all());
    assertOneLineCause(sign);
  }

  @Test
  @Order(7)
  void noSecretReachesTheClusterLogsOrTheLauncher() throws Exception {
    List<String> places = new ArrayList<>();
    cluster.daemonLogs().forEach(l -> places.add(SparkCluster.read(l)));
    cluster.executorLogs().forEach(logs -> logs.forEach(l -> places.add(SparkCluster.read(l))));
    assertTrue(places.size() > 3, "executor logs were found: " + cluster.executorLogs());
    String privateKey = Files.readString(SampleModels.demoPrivateKey());
    String keyBody =
        privateKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    for (String place : places) {
      assertFalse(place.contains(SECRET), "the S3 secret key appears in a cluster log");
      assertFalse(place.contains(keyBody), "private key material appears in a cluster log");
    }
  }

  /**
   * The cause is one line, the CLI's last, not a page of stack trace. Unlike Flink's client,
   * Spark's driver also logs its scheduler's view of a failed task ({@code WARN TaskSetManager -
   * Lost task ... (executor N): <the executor's exception and stack trace>}, then {@code ERROR
   * TaskSetManager - Task ... failed 4 times}): the application's simplelogger.properties silences
   * SparkRunner's logger but not Spark's scheduler (README "Running on Spark"). Those records are
   * set aside here; nothing else may print a stack trace.
   */
  private static void assertOneLineCause(LauncherProcess.Run run) {
    String cli = withoutSparkSchedulerRecords(run.err());
    assertFalse(cli.contains("\tat "), "a stack trace was printed:\n" + run.all());
    List<String> lines = cli.lines().filter(l -> !l.isBlank()).toList();
    long causeLines = lines.stream().filter(SparkClusterIT::isCause).count();
    assertEquals(1, causeLines, run.all());
    assertTrue(isCause(lines.get(lines.size() - 1)), "the cause is the last line:\n" + run.all());
  }

  private static boolean isCause(String line) {
    return line.startsWith("error: ") || line.startsWith("verification failed: ");
  }

  private static final Pattern SPARK_SCHEDULER_RECORD =
      Pattern.compile(
          "^\\d\\d:\\d\\d:\\d\\d (WARN|ERROR) (TaskSetManager|TaskSchedulerImpl|DAGScheduler) - .*");
  private static final Pattern ANY_RECORD = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d [A-Z]+ .*");

  /** stderr less Spark's scheduler records (a record runs until the next record or CLI line). */
  private static String withoutSparkSchedulerRecords(String err) {
    StringBuilder kept = new StringBuilder();
    boolean skipping = false;
    for (String line : err.lines().toList()) {
      if (SPARK_SCHEDULER_RECORD.matcher(line).matches()) {
        skipping = true;
      } else if (ANY_RECORD.matcher(line).matches() || isCause(line) || line.startsWith("[")) {
        skipping = false;
      }
      if (!skipping) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }

  private static String[] concat(List<String> first, String... rest) {
    List<String> all = new ArrayList<>(first);
    all.addAll(Arrays.asList(rest));
    return all.toArray(String[]::new);
  }
}
