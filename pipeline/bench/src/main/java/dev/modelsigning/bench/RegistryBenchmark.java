package dev.modelsigning.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The registry benchmark of issue #13: {@code verify-registry} over registries of small signed
 * models (1,000 and 10,000 by default), each run as its own process through the launcher. Reports
 * the median wall time, the time per 1,000 models and peak RSS, and judges the targets: peak RSS
 * under 1 GiB, and time that grows linearly with the number of models.
 *
 * <p>Models are signed once with the core library (signing 10,000 models through the CLI would only
 * measure launches) and cached under {@code --dir}; every model holds a small {@code config.json},
 * a 1 KiB {@code weights.bin} and its {@code model.sig}.
 */
public final class RegistryBenchmark {
  private static final String USAGE =
      """
      usage: run-registry-benchmark.sh [--option=value ...]
        --dir=/tmp/model-signing-bench   cache of generated registries
        --counts=1000,10000              registry sizes, in models
        --repeat=1                       timed runs per size (median reported)
        --cli=pipeline/bin/model-signing the launcher to measure
        --cliArgs=                       extra options for verify-registry
        --timeout=3600                   seconds per run
        --out=bench-results.md           the report is appended here too
        --python=python3                 for peak RSS when /usr/bin/time is missing
      """;

  /** A run's per-model cost grows by at most this much from the smallest to the largest size. */
  static final double LINEAR_SLACK = 1.25;

  static final long GIB = 1L << 30;

  private final Map<String, String> opts;

  private RegistryBenchmark(Map<String, String> opts) {
    this.opts = opts;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        System.out.print(USAGE);
        return;
      }
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        System.err.print("unknown argument '" + a + "'\n" + USAGE);
        System.exit(2);
      }
      opts.put(a.substring(2, eq), a.substring(eq + 1));
    }
    new RegistryBenchmark(opts).run();
  }

  record Size(int models, List<MeasuredProcess.Measured> runs) {
    double medianSeconds() {
      return median(runs.stream().map(MeasuredProcess.Measured::seconds).toList());
    }

    double medianRssMib() {
      return median(runs.stream().map(r -> r.rssKib() / 1024.0).toList());
    }
  }

  private void run() throws Exception {
    Path cache = Path.of(opts.getOrDefault("dir", "/tmp/model-signing-bench"));
    int repeat = Integer.parseInt(opts.getOrDefault("repeat", "1"));
    // Untimed: the launcher's first run for a jar builds its class-data archive.
    MeasuredProcess.run(
        List.of(opts.getOrDefault("cli", "pipeline/bin/model-signing"), "--version"),
        600,
        opts.getOrDefault("python", "python3"));
    List<Size> sizes = new ArrayList<>();
    for (String c : opts.getOrDefault("counts", "1000,10000").split(",")) {
      int models = Integer.parseInt(c.trim());
      Path registry = generate(cache, models);
      List<MeasuredProcess.Measured> runs = new ArrayList<>();
      for (int i = 0; i < repeat; i++) {
        runs.add(verify(cache, registry, models));
        System.err.printf(
            Locale.ROOT,
            "  %,d models: %.1f s, %d MiB%n",
            models,
            runs.get(i).seconds(),
            runs.get(i).rssKib() / 1024);
      }
      sizes.add(new Size(models, runs));
    }
    String report = report(sizes);
    System.out.print(report);
    Files.writeString(
        Path.of(opts.getOrDefault("out", "bench-results.md")),
        report,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  /** A registry of {@code models} signed models and its public key, generated once. */
  static Path generate(Path cache, int models) throws Exception {
    Path registry = cache.resolve("registry-" + models);
    Path done = cache.resolve("registry-" + models + ".done");
    if (Files.exists(done)) {
      return registry;
    }
    System.err.printf(Locale.ROOT, "generating %,d signed models under %s%n", models, registry);
    deleteTree(registry);
    Files.createDirectories(registry);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair key = g.generateKeyPair();
    Files.writeString(
        publicKey(cache, models), Pem.encode("PUBLIC KEY", key.getPublic().getEncoded()));
    KeySigner signer = KeySigner.of(key);
    List<String> ignores = IgnorePaths.of("model.sig", List.of()).sorted();
    SerializationSettings settings =
        SerializationSettings.files(HashAlgorithm.SHA256, false, ignores);
    ListingPolicy policy = new ListingPolicy(IgnorePaths.exactly(ignores), false);
    byte[] weights = new byte[1024];
    for (int i = 0; i < models; i++) {
      Path model = Files.createDirectories(registry.resolve("team-" + (i % 10) + "/model-" + i));
      Files.writeString(model.resolve("config.json"), "{\"id\":" + i + "}");
      weights[i % weights.length]++;
      Files.write(model.resolve("weights.bin"), weights);
      byte[] statement = StatementWriter.write(LocalModelHasher.hash(model, settings, policy));
      Files.write(model.resolve("model.sig"), signer.sign(statement));
    }
    Files.writeString(done, models + "\n");
    return registry;
  }

  private static Path publicKey(Path cache, int models) {
    return cache.resolve("registry-" + models + ".pub.pem");
  }

  private MeasuredProcess.Measured verify(Path cache, Path registry, int models)
      throws IOException {
    Path report = Files.createTempDirectory("registry-report");
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add(opts.getOrDefault("cli", "pipeline/bin/model-signing"));
      cmd.addAll(
          List.of(
              "verify-registry",
              "--registry=" + registry,
              "--report=" + report.resolve("out"),
              "--verifier=key",
              "--publicKey=" + publicKey(cache, models)));
      String extra = opts.getOrDefault("cliArgs", "");
      if (!extra.isBlank()) {
        cmd.addAll(List.of(extra.trim().split("\\s+")));
      }
      MeasuredProcess.Measured m =
          MeasuredProcess.run(
              cmd,
              Long.parseLong(opts.getOrDefault("timeout", "3600")),
              opts.getOrDefault("python", "python3"));
      if (m.timedOut()) {
        return m;
      }
      JsonNode summary =
          Json.parse(Files.readAllBytes(report.resolve("out/summary.json")), "summary");
      if (summary.path("verified").asLong() != models) {
        throw new IllegalStateException(
            "expected " + models + " verified models, got " + summary + "\n" + m.output());
      }
      return m;
    } finally {
      deleteTree(report);
    }
  }

  private static String report(List<Size> sizes) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n## verify-registry benchmark (%s, %d cores)%n%n",
            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            Runtime.getRuntime().availableProcessors()));
    out.append("- peak RSS: ").append(MeasuredProcess.rssMethod()).append("\n\n");
    out.append("| models | median wall | per 1,000 models | median peak RSS | RSS < 1 GiB |\n");
    out.append("|---:|---:|---:|---:|---|\n");
    for (Size s : sizes) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %,d | %.1f s | %.2f s | %.0f MiB | %s |%n",
              s.models(),
              s.medianSeconds(),
              s.medianSeconds() * 1000 / s.models(),
              s.medianRssMib(),
              s.medianRssMib() * 1024 * 1024 < GIB ? "met" : "missed"));
    }
    if (sizes.size() >= 2) {
      Size small = sizes.get(0);
      Size large = sizes.get(sizes.size() - 1);
      double perModelGrowth =
          (large.medianSeconds() / large.models()) / (small.medianSeconds() / small.models());
      out.append(
          String.format(
              Locale.ROOT,
              "%nTime per model at %,d models is %.2fx that at %,d models: linear growth %s"
                  + " (at most %.2fx; fixed start-up makes the larger run cheaper per model).%n",
              large.models(),
              perModelGrowth,
              small.models(),
              perModelGrowth <= LINEAR_SLACK ? "met" : "missed",
              LINEAR_SLACK));
    }
    return out.toString();
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
