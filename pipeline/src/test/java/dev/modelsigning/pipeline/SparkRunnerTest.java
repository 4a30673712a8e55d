package dev.modelsigning.pipeline;

import java.util.List;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link RunnerScenarios} on a Spark master in this JVM ({@code --sparkMaster=local[2]}: a driver
 * and two executor threads). The Spark runner is on the test classpath only with the {@code spark}
 * Maven profile (which also moves Beam to 2.70.0 and gives surefire the Java 17 flags Spark needs).
 * The multi-process cluster is {@code cluster/SparkClusterIT}.
 */
@EnabledIf("sparkRunnerPresent")
class SparkRunnerTest extends RunnerScenarios {
  static boolean sparkRunnerPresent() {
    try {
      Class.forName("org.apache.beam.runners.spark.SparkRunner");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Override
  List<String> runnerOptions() {
    return List.of("--runner=SparkRunner", "--sparkMaster=local[2]");
  }
}
