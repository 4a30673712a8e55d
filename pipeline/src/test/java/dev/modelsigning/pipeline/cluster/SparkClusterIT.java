package dev.modelsigning.pipeline.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link ClusterScenarios} on a Spark 3.5 standalone cluster: one Master and two Workers, each its
 * own JVM with its own working and temp directories, on a Spark-only classpath laid out as a
 * distribution's SPARK_HOME/jars, whose Workers start the executors as further JVMs. The launcher
 * is the driver (client mode); the executors get the jar from it, as Spark ships an application
 * jar. Runs with the {@code spark} profile after {@code package} ({@code .ci/run}).
 */
@EnabledIf("sparkProfile")
class SparkClusterIT extends ClusterScenarios {
  private static final Pattern SCHEDULER_RECORD =
      Pattern.compile(
          "^\\d\\d:\\d\\d:\\d\\d (WARN|ERROR) (TaskSetManager|TaskSchedulerImpl|DAGScheduler) - .*");
  private static final Pattern ANY_RECORD = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d [A-Z]+ .*");

  private SparkCluster cluster;

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

  @Override
  void startCluster(Path root, Map<String, String> environment) throws Exception {
    cluster = SparkCluster.start(root, 2, environment);
  }

  @Override
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
      cluster.deleteFetchedJars();
    }
  }

  @Override
  String logDirectory() {
    return "spark-cluster-it";
  }

  @Override
  List<String> runnerOptions() {
    return List.of("--runner=SparkRunner", "--sparkMaster=" + cluster.master());
  }

  @Override
  Map<String, String> launcherEnvironment() {
    // The driver binds to loopback, as the cluster does (else Spark picks the host's address).
    return Map.of("SPARK_LOCAL_IP", "127.0.0.1");
  }

  @Override
  List<List<Path>> workerLogs() {
    return cluster.executorLogs();
  }

  @Override
  List<Path> allLogs() {
    List<Path> all = new ArrayList<>(cluster.daemonLogs());
    cluster.executorLogs().forEach(all::addAll);
    return all;
  }

  /**
   * Unlike Flink's client, Spark's driver also logs its scheduler's view of a failed task ({@code
   * WARN TaskSetManager - Lost task ... (executor N): <the executor's exception and stack trace>},
   * then {@code ERROR TaskSetManager - Task ... failed 4 times}): the application's
   * simplelogger.properties silences SparkRunner's logger but not Spark's scheduler (README
   * "Running on Spark"). Those records are set aside; a record runs until the next record or CLI
   * line.
   */
  @Override
  String withoutRunnerRecords(String err) {
    StringBuilder kept = new StringBuilder();
    boolean skipping = false;
    for (String line : err.lines().toList()) {
      if (SCHEDULER_RECORD.matcher(line).matches()) {
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
}
