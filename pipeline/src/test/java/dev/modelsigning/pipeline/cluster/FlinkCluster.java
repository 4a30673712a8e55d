package dev.modelsigning.pipeline.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
  private final ClusterProcesses processes;
  private final List<Path> taskManagerLogs = new ArrayList<>();
  private final Path jobManagerLog;

  private FlinkCluster(Path root, int restPort, Path jobManagerLog) {
    this.root = root;
    this.restPort = restPort;
    this.jobManagerLog = jobManagerLog;
    this.processes = new ClusterProcesses("Flink", root);
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
    int restPort = ClusterProcesses.freePort();
    String config =
        configuration(restPort, ClusterProcesses.freePort(), ClusterProcesses.freePort());
    FlinkCluster cluster =
        new FlinkCluster(root, restPort, root.resolve("jobmanager").resolve("jobmanager.log"));
    try {
      cluster.launch("jobmanager", JOB_MANAGER, classpath, config, environment);
      for (int i = 1; i <= taskManagers; i++) {
        cluster.taskManagerLogs.add(
            cluster.launch("taskmanager-" + i, TASK_MANAGER, classpath, config, environment));
      }
      cluster.processes.awaitCount(
          URI.create(cluster.restUrl() + "/overview"),
          "taskmanagers",
          taskManagers,
          "TaskManagers",
          Duration.ofMinutes(2));
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
                ClusterProcesses.javaBinary(),
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
            .directory(work.toFile());
    pb.environment().putAll(env);
    processes.start(pb, log);
    return log;
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

  @Override
  public void close() {
    processes.close();
  }
}
