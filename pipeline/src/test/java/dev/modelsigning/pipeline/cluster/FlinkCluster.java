package dev.modelsigning.pipeline.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink 1.19 standalone session cluster on loopback: one JobManager and a number of
 * TaskManagers, each its own JVM process with its own working directory and temp directory, started
 * from Flink's own entry points on the classpath of a Flink distribution (pipeline/flink-cluster:
 * no Beam and no model-signing classes, so every class a job needs comes from the submitted jar, as
 * on a real cluster). Each process logs to its own file.
 */
public final class FlinkCluster implements AutoCloseable {
  private static final String JOB_MANAGER =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  private final Path root;
  private final int restPort;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> taskManagerLogs = new ArrayList<>();
  private final Path jobManagerLog;

  private FlinkCluster(Path root, int restPort, Path jobManagerLog) {
    this.root = root;
    this.restPort = restPort;
    this.jobManagerLog = jobManagerLog;
  }

  /** The classpath file the flink-cluster module writes (mvn -Pflink). */
  public static Path classpathFile() {
    String configured = System.getProperty("flink.cluster.classpath");
    return configured != null
        ? Path.of(configured)
        : Path.of("flink-cluster", "target", "cluster.classpath").toAbsolutePath();
  }

  /**
   * Starts the cluster and waits until every TaskManager has registered.
   *
   * @param root a fresh directory for the processes' configuration, work and temp directories
   * @param environment variables for every process (e.g. the workers' own cloud credentials)
   */
  public static FlinkCluster start(Path root, int taskManagers, Map<String, String> environment)
      throws IOException, InterruptedException {
    String classpath = Files.readString(classpathFile()).strip();
    int restPort = freePort();
    String config = configuration(restPort, freePort(), freePort());
    FlinkCluster cluster =
        new FlinkCluster(root, restPort, root.resolve("jobmanager").resolve("jobmanager.log"));
    try {
      cluster.launch("jobmanager", JOB_MANAGER, classpath, config, environment);
      for (int i = 1; i <= taskManagers; i++) {
        cluster.taskManagerLogs.add(
            cluster.launch("taskmanager-" + i, TASK_MANAGER, classpath, config, environment));
      }
      cluster.awaitTaskManagers(taskManagers, Duration.ofMinutes(2));
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** What Flink's shell scripts would compute for a small machine, written out. */
  private static String configuration(int restPort, int rpcPort, int blobPort) {
    return String.join(
        "\n",
        "jobmanager.rpc.address: localhost",
        "jobmanager.rpc.port: " + rpcPort,
        "jobmanager.bind-host: 127.0.0.1",
        "jobmanager.memory.process.size: 1024m",
        "rest.address: 127.0.0.1",
        "rest.bind-address: 127.0.0.1",
        "rest.port: " + restPort,
        "blob.server.port: " + blobPort,
        "taskmanager.bind-host: 127.0.0.1",
        "taskmanager.host: 127.0.0.1",
        "taskmanager.numberOfTaskSlots: 1",
        "taskmanager.cpu.cores: 1.0",
        "taskmanager.memory.framework.heap.size: 128m",
        "taskmanager.memory.task.heap.size: 384m",
        "taskmanager.memory.framework.off-heap.size: 128m",
        "taskmanager.memory.task.off-heap.size: 0m",
        "taskmanager.memory.managed.size: 64m",
        "taskmanager.memory.network.min: 64m",
        "taskmanager.memory.network.max: 64m",
        "taskmanager.memory.jvm-metaspace.size: 256m",
        "taskmanager.memory.jvm-overhead.min: 192m",
        "taskmanager.memory.jvm-overhead.max: 192m",
        "parallelism.default: 1",
        "");
  }

  /** One process: its own config, working and temp directories, and log file. */
  private Path launch(
      String name, String mainClass, String classpath, String config, Map<String, String> env)
      throws IOException {
    Path home = Files.createDirectories(root.resolve(name));
    Path conf = Files.createDirectories(home.resolve("conf"));
    Path work = Files.createDirectories(home.resolve("work"));
    Path tmp = Files.createDirectories(home.resolve("tmp"));
    Files.writeString(conf.resolve("flink-conf.yaml"), config + "io.tmp.dirs: " + tmp + "\n");
    Path log = home.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                javaBinary(),
                "-Xmx768m",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + tmp,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.flink=warn",
                "-Dorg.slf4j.simpleLogger.log.org.apache.pekko=warn",
                "-cp",
                classpath,
                mainClass,
                "--configDir",
                conf.toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    processes.add(pb.start());
    return log;
  }

  private void awaitTaskManagers(int count, Duration timeout)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Pattern registered = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "a Flink process exited with " + p.exitValue() + "; logs under " + root);
        }
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(restUrl() + "/overview"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        last = r.body();
        Matcher m = registered.matcher(last);
        if (r.statusCode() == 200 && m.find() && Integer.parseInt(m.group(1)) >= count) {
          return;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "Flink did not register "
            + count
            + " TaskManagers in time ("
            + last
            + "); logs under "
            + root);
  }

  /** {@code host:port} of the REST endpoint, as Beam's {@code --flinkMaster} takes it. */
  public String master() {
    return "127.0.0.1:" + restPort;
  }

  public String restUrl() {
    return "http://" + master();
  }

  public List<Path> taskManagerLogs() {
    return List.copyOf(taskManagerLogs);
  }

  public Path jobManagerLog() {
    return jobManagerLog;
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
