package dev.modelsigning.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a benchmarked command as a child process: wall time, peak RSS and its output. */
final class MeasuredProcess {
  private MeasuredProcess() {}

  public record Measured(double seconds, long rssKib, String output, boolean timedOut) {}

  /** Runs a command to completion: monotonic wall time, peak RSS, merged stdout and stderr. */
  public static Measured run(List<String> command, long timeoutSeconds, String python) {
    Path rssFile = null;
    try {
      rssFile = Files.createTempFile("bench-rss", ".txt");
      List<String> cmd = new ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/time"))) {
        cmd.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", rssFile.toString()));
      } else {
        // Same figure as GNU time: ru_maxrss of the waited-for child tree, in KiB.
        cmd.addAll(
            List.of(
                python,
                "-c",
                "import resource,subprocess,sys\n"
                    + "rc=subprocess.call(sys.argv[2:])\n"
                    + "open(sys.argv[1],'w').write('%d\\n'%"
                    + "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                    + "sys.exit(rc)",
                rssFile.toString()));
      }
      cmd.addAll(command);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      long t0 = System.nanoTime();
      Process p = pb.start();
      StringBuilder output = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l; (l = r.readLine()) != null; ) {
                    output.append(l).append('\n');
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      reader.start();
      long timeout = timeoutSeconds;
      if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
        // Only the processes this run started: the child and its descendants.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
        System.err.println("  timed out after " + timeout + " s: " + String.join(" ", command));
        return new Measured(timeout, -1, output.toString(), true);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      reader.join();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "exit " + p.exitValue() + " from " + String.join(" ", command) + "\n" + output);
      }
      long rss = -1;
      List<String> lines = Files.readAllLines(rssFile);
      if (!lines.isEmpty()) {
        rss = Long.parseLong(lines.get(lines.size() - 1).trim());
      }
      return new Measured(secs, rss, output.toString(), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (rssFile != null) {
        try {
          Files.deleteIfExists(rssFile);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
  }

  public static String rssMethod() {
    return Files.isExecutable(Path.of("/usr/bin/time"))
        ? "GNU `time -f %M`: the largest resident set of any one process of the tree (median of"
            + " the timed rounds)"
        : "`getrusage(RUSAGE_CHILDREN).ru_maxrss` in a Python wrapper: the largest resident set"
            + " of any one process of the tree";
  }
}
