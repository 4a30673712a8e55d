package dev.modelsigning.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI run as a user runs it: {@code java -jar model-signing.jar ...} in its own JVM, its own
 * working directory and temp directory, with no Maven classpath.
 */
final class LauncherProcess {
  record Run(int exit, String out, String err) {
    String all() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private final Path jar;
  private final Path home;
  private final Map<String, String> environment;
  private int runs;

  LauncherProcess(Path jar, Path home, Map<String, String> environment) {
    this.jar = jar;
    this.home = home;
    this.environment = Map.copyOf(environment);
  }

  Run run(List<String> args) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(home.resolve("run-" + (++runs)));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> cmd = new ArrayList<>();
    cmd.add(ClusterProcesses.javaBinary());
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Djava.io.tmpdir=" + tmp);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().remove("CLASSPATH");
    pb.environment().putAll(environment);
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("timed out: " + cmd + "\n" + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
