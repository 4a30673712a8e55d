package dev.modelsigning.pipeline;

import java.util.List;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link RunnerScenarios} on Flink's embedded cluster ({@code --flinkMaster=[local]}, parallelism
 * 2). The Flink runner is on the test classpath only with the {@code flink} Maven profile (which
 * also moves Beam to 2.70.0). On [local] the job runs in this JVM; the multi-process cluster is
 * {@code cluster/FlinkClusterIT}.
 */
@EnabledIf("flinkRunnerPresent")
class FlinkRunnerTest extends RunnerScenarios {
  static boolean flinkRunnerPresent() {
    try {
      Class.forName("org.apache.beam.runners.flink.FlinkRunner");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Override
  List<String> runnerOptions() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
