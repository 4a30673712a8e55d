package dev.modelsigning.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent sigstore-js verifier ({@code core/src/test/node/verify-bundle.mjs}, built on
 * {@code @sigstore/verify} 3.1.1) on a bundle and reports whether it accepted it.
 *
 * <p>Everything is offline: the harness gets its trust material from the arguments only. See {@code
 * core/src/test/node/README.md} for what is checked per bundle kind.
 *
 * <p>Configuration (system properties): {@code sigstorejs.node} the node executable (default {@code
 * node} on the PATH, or the {@code NODE} environment variable); {@code sigstorejs.dir} the harness
 * directory (default: found by walking up from {@code user.dir} to {@code core/src/test/node}).
 */
public final class SigstoreJs {

  /** Longest a single verification may take before the node process is killed. */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT = "verify-bundle.mjs";

  private SigstoreJs() {}

  /**
   * Outcome of one harness run.
   *
   * @param ok whether sigstore-js accepted the bundle (exit code 0 and {@code "ok":true})
   * @param error the rejection reason ({@code null} when ok)
   * @param exitCode 0 accepted, 1 rejected, 2 usage error
   * @param report the JSON line the harness printed (an empty object if it printed none)
   * @param stderr whatever node wrote to stderr
   */
  public record Result(boolean ok, String error, int exitCode, JsonNode report, String stderr) {

    /** Rejections because of bad input, not because of the bundle. */
    public boolean usageError() {
      return exitCode == 2;
    }

    @Override
    public String toString() {
      return ok ? "accepted " + report : "rejected (exit " + exitCode + "): " + error;
    }
  }

  /** Key bundle: the bundle's hint (or v0.3.1/v1.0.x {@code rawBytes}) must name {@code pem}. */
  public static Result verifyWithPublicKey(Path bundle, Path publicKeyPem, String... extraArgs) {
    return run(bundle, List.of("--public-key", abs(publicKeyPem)), extraArgs);
  }

  /**
   * Certificate-chain bundle, checked now: {@code caPem} holds the trust anchors (the self-signed
   * root, optionally intermediates); intermediates in the bundle are used if they chain to them.
   */
  public static Result verifyWithCaChain(Path bundle, Path caPem, String... extraArgs) {
    return run(bundle, List.of("--ca-chain", abs(caPem)), extraArgs);
  }

  /**
   * Keyless (Fulcio + Rekor [+ TSA]) bundle against a {@code trusted_root.json} or a
   * ClientTrustConfig. {@code identity} is matched exactly against the certificate SAN and {@code
   * issuer} against the Fulcio issuer extension; pass {@code null} to skip either check.
   */
  public static Result verifyKeyless(
      Path bundle, Path trustedRoot, String identity, String issuer, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--trusted-root", abs(trustedRoot)));
    if (identity != null) {
      args.addAll(List.of("--identity", identity));
    }
    if (issuer != null) {
      args.addAll(List.of("--issuer", issuer));
    }
    return run(bundle, args, extraArgs);
  }

  private static Result run(Path bundle, List<String> modeArgs, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--bundle", abs(bundle)));
    args.addAll(modeArgs);
    args.addAll(Arrays.asList(extraArgs));
    return run(args);
  }

  /** Runs the harness with raw CLI arguments (see the script's usage line). */
  public static Result run(List<String> cliArgs) {
    Path dir = harnessDir();
    List<String> command = new ArrayList<>();
    command.add(nodeExecutable());
    command.add(dir.resolve(SCRIPT).toString());
    command.addAll(cliArgs);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start node ("
              + command.get(0)
              + "); sigstore-js harness needs Node >= 20.17 on the PATH or -Dsigstorejs.node",
          e);
    }
    try {
      closeQuietly(process);
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("sigstore-js harness timed out after " + TIMEOUT);
      }
      int exit = process.exitValue();
      String stdout = out.get(10, TimeUnit.SECONDS);
      String stderr = err.get(10, TimeUnit.SECONDS);
      JsonNode report = lastJsonLine(stdout);
      if (report == null) {
        throw new IllegalStateException(
            "sigstore-js harness printed no JSON (exit " + exit + "): " + stdout + stderr);
      }
      boolean ok = exit == 0 && report.path("ok").asBoolean(false);
      String error = ok ? null : report.path("error").asText("exit code " + exit);
      return new Result(ok, error, exit, report, stderr);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running sigstore-js", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read sigstore-js harness output", e);
    }
  }

  /** The directory that holds {@code verify-bundle.mjs} and its installed {@code node_modules}. */
  public static Path harnessDir() {
    String configured = System.getProperty("sigstorejs.dir");
    Path dir;
    if (configured != null && !configured.isBlank()) {
      dir = Paths.get(configured).toAbsolutePath();
    } else {
      dir = findUpwards(Path.of("core", "src", "test", "node", SCRIPT));
      if (dir == null) {
        dir = findUpwards(Path.of("src", "test", "node", SCRIPT));
      }
      if (dir == null) {
        throw new IllegalStateException(
            "cannot find core/src/test/node/"
                + SCRIPT
                + " above "
                + System.getProperty("user.dir")
                + "; set -Dsigstorejs.dir");
      }
    }
    if (!Files.isRegularFile(dir.resolve(SCRIPT))) {
      throw new IllegalStateException("no " + SCRIPT + " in " + dir);
    }
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("@sigstore").resolve("verify"))) {
      throw new IllegalStateException(
          "sigstore-js is not installed in "
              + dir
              + "; run `mvn -pl core generate-test-resources` or `npm ci` there");
    }
    return dir;
  }

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close(); // the harness reads no stdin
    } catch (IOException e) {
      // nothing to do: the process may already have exited
    }
  }

  private static Path findUpwards(Path relative) {
    for (Path d = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        d != null;
        d = d.getParent()) {
      Path candidate = d.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate.getParent();
      }
    }
    return null;
  }

  private static String nodeExecutable() {
    String node = System.getProperty("sigstorejs.node");
    if (node == null || node.isBlank()) {
      node = System.getenv("NODE");
    }
    return node == null || node.isBlank() ? "node" : node;
  }

  private static String abs(Path p) {
    return p.toAbsolutePath().toString();
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        r -> {
          Thread t = new Thread(r, "sigstore-js-io");
          t.setDaemon(true);
          t.start();
        });
  }

  private static JsonNode lastJsonLine(String stdout) {
    String[] lines = stdout.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i].strip();
      if (line.startsWith("{")) {
        try {
          return JSON.readTree(line);
        } catch (IOException e) {
          return null;
        }
      }
    }
    return null;
  }
}
