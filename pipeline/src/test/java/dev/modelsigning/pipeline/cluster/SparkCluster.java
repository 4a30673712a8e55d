package dev.modelsigning.pipeline.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A real Spark 3.5 standalone cluster on loopback: one Master and a number of Workers, each its own
 * JVM with its own working and temp directories, started from Spark's own entry points on the
 * classpath of a Spark distribution (pipeline/spark-cluster: no Beam and no model-signing classes).
 * The Workers launch executors, again separate JVMs, from a SPARK_HOME whose {@code jars/} holds
 * that same classpath (the layout of a distribution), so every class a job needs beyond Spark comes
 * from the submitted jar, as on a real cluster. Each process logs to its own file; an executor logs
 * to {@code stderr} in its Worker's work directory.
 */
public final class SparkCluster implements AutoCloseable {
  private static final String MASTER = "org.apache.spark.deploy.master.Master";
  private static final String WORKER = "org.apache.spark.deploy.worker.Worker";

  /**
   * What Spark's launcher (spark-class) adds on Java 17
   * (org.apache.spark.launcher.JavaModuleOptions); executors get them from the driver's
   * SparkContext.
   */
  static final List<String> JAVA17_FLAGS =
      List.of(
          "-XX:+IgnoreUnrecognizedVMOptions",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
          "-Djdk.reflect.useDirectMethodHandle=false");

  private final Path root;
  private final int masterPort;
  private final int webUiPort;
  private final ClusterProcesses processes;
  private final List<Path> workerDirs = new ArrayList<>();
  private final List<Path> daemonLogs = new ArrayList<>();

  private SparkCluster(Path root, int masterPort, int webUiPort) {
    this.root = root;
    this.masterPort = masterPort;
    this.webUiPort = webUiPort;
    this.processes = new ClusterProcesses("Spark", root);
  }

  /** The classpath file the spark-cluster module writes (mvn -Pspark). */
  public static Path classpathFile() {
    String configured = System.getProperty("spark.cluster.classpath");
    return configured != null
        ? Path.of(configured)
        : Path.of("spark-cluster", "target", "cluster.classpath").toAbsolutePath();
  }

  /**
   * Starts the cluster and waits until every Worker has registered with the Master.
   *
   * @param root a fresh directory for SPARK_HOME and the processes' work, temp and log files
   * @param workers how many Workers, each offering one core and 1 GiB to executors
   * @param environment variables for every process (e.g. the workers' own cloud credentials); the
   *     executors a Worker starts inherit them
   */
  public static SparkCluster start(Path root, int workers, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path sparkHome = sparkHome(root.resolve("spark-home"));
    SparkCluster cluster =
        new SparkCluster(root, ClusterProcesses.freePort(), ClusterProcesses.freePort());
    Map<String, String> env = new HashMap<>(environment);
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_PUBLIC_DNS", "127.0.0.1");
    try {
      cluster.launch(
          "master",
          MASTER,
          sparkHome,
          env,
          List.of(
              "--host",
              "127.0.0.1",
              "--port",
              Integer.toString(cluster.masterPort),
              "--webui-port",
              Integer.toString(cluster.webUiPort)));
      cluster.awaitWorkers(0, Duration.ofMinutes(1));
      for (int i = 1; i <= workers; i++) {
        String name = "worker-" + i;
        Path work = Files.createDirectories(root.resolve(name).resolve("work"));
        cluster.workerDirs.add(work);
        Map<String, String> workerEnv = new HashMap<>(env);
        // Executors' scratch space (shuffle files, fetched jars) under this Worker only.
        workerEnv.put(
            "SPARK_LOCAL_DIRS",
            Files.createDirectories(root.resolve(name).resolve("local")).toString());
        cluster.launch(
            name,
            WORKER,
            sparkHome,
            workerEnv,
            List.of(
                "--host",
                "127.0.0.1",
                "--webui-port",
                Integer.toString(ClusterProcesses.freePort()),
                "--cores",
                "1",
                "--memory",
                "1g",
                "--work-dir",
                work.toString(),
                cluster.master()));
      }
      cluster.awaitWorkers(workers, Duration.ofMinutes(2));
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * A distribution's layout: {@code jars/} (what spark-class and the Worker's executor command put
   * on the classpath as {@code jars/*}) linking the cluster classpath's jars, and an empty conf/.
   */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    Set<String> names = new HashSet<>();
    for (String entry :
        Files.readString(classpathFile()).strip().split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      String name = jar.getFileName().toString();
      if (!names.add(name)) {
        name = jar.getParent().getParent().getFileName() + "-" + name;
      }
      Files.createSymbolicLink(jars.resolve(name), jar);
    }
    return home;
  }

  /** One daemon: its own working and temp directories and log file. */
  private void launch(
      String name, String mainClass, Path sparkHome, Map<String, String> env, List<String> args)
      throws IOException {
    Path home = Files.createDirectories(root.resolve(name));
    Path tmp = Files.createDirectories(home.resolve("tmp"));
    Path log = home.resolve(name + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(ClusterProcesses.javaBinary());
    cmd.addAll(JAVA17_FLAGS);
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Djava.io.tmpdir=" + tmp);
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("conf") + java.io.File.pathSeparator + sparkHome.resolve("jars/*"));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
    pb.environment().remove("CLASSPATH");
    pb.environment().putAll(env);
    processes.start(pb, log);
    daemonLogs.add(log);
  }

  private void awaitWorkers(int count, Duration timeout) throws IOException, InterruptedException {
    processes.awaitCount(
        URI.create("http://127.0.0.1:" + webUiPort + "/json/"),
        "aliveworkers",
        count,
        "Workers",
        timeout);
  }

  /** The Master's URL, as Beam's {@code --sparkMaster} takes it. */
  public String master() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The Master's and the Workers' own logs. */
  public List<Path> daemonLogs() {
    return List.copyOf(daemonLogs);
  }

  /** Every executor log (stdout and stderr of each executor of each application), by Worker. */
  public List<List<Path>> executorLogs() {
    List<List<Path>> all = new ArrayList<>();
    for (Path work : workerDirs) {
      try (Stream<Path> walk = Files.walk(work)) {
        all.add(
            walk.filter(Files::isRegularFile)
                .filter(
                    p ->
                        p.getFileName().toString().equals("stderr")
                            || p.getFileName().toString().equals("stdout"))
                .sorted()
                .toList());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return all;
  }

  /** Deletes the copies of the submitted jar the executors fetched (hundreds of MB each). */
  public void deleteFetchedJars() {
    for (Path work : workerDirs) {
      try (Stream<Path> walk = Files.walk(work.getParent())) {
        for (Path p : walk.filter(f -> f.toString().endsWith(".jar")).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    processes.close(); // Workers first (they stop their executors), then the Master
  }
}
