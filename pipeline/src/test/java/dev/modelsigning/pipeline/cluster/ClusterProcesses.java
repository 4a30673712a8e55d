package dev.modelsigning.pipeline.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM processes of a test cluster: started with their output in a log file, waited on until the
 * cluster's status page counts enough workers, and stopped (with whatever they started) last first.
 */
final class ClusterProcesses implements AutoCloseable {
  private final String name;
  private final Path root;
  private final List<Process> processes = new ArrayList<>();

  /**
   * @param name the cluster's name in messages ("Flink", "Spark")
   * @param root where the processes' directories and logs are, named in messages
   */
  ClusterProcesses(String name, Path root) {
    this.name = name;
    this.root = root;
  }

  /** Starts {@code pb} with stdout and stderr in {@code log}. */
  void start(ProcessBuilder pb, Path log) throws IOException {
    processes.add(pb.redirectErrorStream(true).redirectOutput(log.toFile()).start());
  }

  /**
   * Polls {@code status} until the first number after {@code "countField":} is at least {@code
   * count}; fails as soon as a process has exited, or after {@code timeout}, naming the last
   * answer.
   */
  void awaitCount(URI status, String countField, int count, String what, Duration timeout)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Pattern counted = Pattern.compile("\"" + Pattern.quote(countField) + "\"\\s*:\\s*(\\d+)");
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "a " + name + " process exited with " + p.exitValue() + "; logs under " + root);
        }
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        last = r.body();
        Matcher m = counted.matcher(last);
        if (r.statusCode() == 200 && m.find() && Integer.parseInt(m.group(1)) >= count) {
          return;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        name
            + " did not register "
            + count
            + " "
            + what
            + " in time ("
            + last
            + "); logs under "
            + root);
  }

  /** Stops the processes last started first (workers before their master), and their children. */
  @Override
  public void close() {
    List<Process> reversed = new ArrayList<>(processes);
    Collections.reverse(reversed);
    for (Process p : reversed) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : reversed) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
