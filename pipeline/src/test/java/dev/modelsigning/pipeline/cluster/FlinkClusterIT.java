package dev.modelsigning.pipeline.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link ClusterScenarios} on a Flink 1.19 standalone session cluster: one JobManager and two
 * TaskManagers, each its own JVM with its own working and temp directories, on a Flink-only
 * classpath; the job is submitted from the launcher process with {@code --flinkMaster}. Runs with
 * the {@code flink} profile after {@code package} ({@code .ci/run} step 2).
 */
@EnabledIf("flinkProfile")
class FlinkClusterIT extends ClusterScenarios {
  private FlinkCluster cluster;

  static boolean flinkProfile() {
    try {
      Class.forName("org.apache.beam.runners.flink.FlinkRunner");
    } catch (ClassNotFoundException e) {
      return false; // default build: the flink profile runs this (CI step 2)
    }
    if (!Files.isRegularFile(FlinkCluster.classpathFile())) {
      throw new IllegalStateException(
          "flink profile without " + FlinkCluster.classpathFile() + " (built by flink-cluster)");
    }
    return true;
  }

  @Override
  void startCluster(Path root, Map<String, String> environment) throws Exception {
    cluster = FlinkCluster.start(root, 2, environment);
  }

  @Override
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  String logDirectory() {
    return "flink-cluster-it";
  }

  @Override
  List<String> runnerOptions() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=" + cluster.master(), "--parallelism=2");
  }

  @Override
  List<List<Path>> workerLogs() {
    return cluster.taskManagerLogs().stream().map(List::of).toList();
  }

  @Override
  List<Path> allLogs() {
    List<Path> all = new ArrayList<>(cluster.taskManagerLogs());
    all.add(cluster.jobManagerLog());
    return all;
  }
}
