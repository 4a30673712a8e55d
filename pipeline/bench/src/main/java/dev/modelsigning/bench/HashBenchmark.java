package dev.modelsigning.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The end-to-end benchmark behind {@code pipeline/bench/run-benchmark.sh}: the four model shapes of
 * issue #13, each hashed by the default CLI, by the CLI with {@code --runner=DirectRunner} and
 * (given a source checkout) by model_signing's own hashing code, interleaved in one session, with
 * wall time, peak RSS, the ratio to model_signing and the targets. A command, not a test:
 *
 * <pre>
 * java -cp pipeline/bench/target/benchmarks.jar dev.modelsigning.bench.HashBenchmark --help
 * </pre>
 *
 * <p>Shapes: {@code big} (8 files of 1 GiB), {@code small} (20,000 files of 4 KiB), {@code shards}
 * (one file of 2,097,152 bytes, {@code --method=shards --shardSize=8}: 262,144 shards) and {@code
 * tiny} (one 6-byte file). The one-file shapes pass the file itself as the model (resource name
 * {@code "."}). Each shape is generated once under the cache directory with deterministic content
 * (so its digest is the same on every machine) and reused; then its bytes are read into the page
 * cache, every engine runs once untimed (warm-up: page cache, the launcher's class archive,
 * Python's bytecode cache), and then {@code --repeat} rounds run every engine in turn (A B C A B C
 * ...). Every run of the CLI, the DirectRunner and model_signing must print the same {@code
 * sha256:} subject digest; a mismatch stops the benchmark (exit 3): it is a correctness bug.
 *
 * <p>Wall time is the harness's monotonic clock around the whole process. Peak RSS is GNU {@code
 * time -f %M} (or, without it, a Python wrapper reading {@code getrusage(RUSAGE_CHILDREN)}): the
 * largest resident set of any one process in the tree, e.g. the JVM the launcher script execs.
 */
public final class HashBenchmark {
  static final long KIB = 1024;
  static final long MIB = KIB * KIB;
  static final long GIB = MIB * KIB;
  private static final int BLOCK = (int) (16 * MIB);
  private static final Pattern DIGEST = Pattern.compile("(?m)^sha256:([0-9a-f]{64})\\s*$");

  private static final String HELP =
      """
      HashBenchmark [--option=value ...]     (run-benchmark.sh passes its environment as these)
        --dir=/tmp/model-signing-bench  cache of generated models (reused when present)
        --shapes=tiny,shards,small,big  which shapes, in this order
        --scale=1               divide the default sizes by this (16: 8 x 64 MiB, 1,250 small
                                files, a 128 KiB shards model); explicit sizes below win
        --big=8x1g              big: <files>x<size per file>
        --small=20000x4k        small: <files>x<size per file>
        --shards=2097152        shards: one file of this size (k/m/g = KiB/MiB/GiB) ...
        --shardSize=8           ... hashed with --method=shards --shardSize=this
        --tiny=6                tiny: one file of this many bytes
        --repeat=3              timed rounds per shape (median reported, min-max shown)
        --warmup=1              untimed rounds per shape first
        --engines=cli,direct,model_signing,sha256sum,raw
                                cli: the default CLI; direct: the CLI with --runner=DirectRunner;
                                model_signing: its hashing code (needs --modelSigningSrc);
                                sha256sum: coreutils, one process per core (reference);
                                raw: JDK MessageDigest on in-memory bytes, one thread per core
                                (big shape only; the basis of the DirectRunner's rate target)
        --cli=pipeline/bin/model-signing   the CLI launcher (its env is passed through)
        --cliArgs=              extra options for cli and direct, space separated
        --modelSigningSrc=      model-transparency checkout (default: $MODEL_SIGNING_SRC);
                                without it the model_signing column is skipped
        --driver=pipeline/bench/model_signing_digest.py
        --python=python3
        --timeout=600           seconds per process; a run killed by it is recorded as
                                "> timeout" (missed) and that engine skips the rest of the shape
        --slowRun=120           an engine whose warm-up run takes longer is measured by that one
                                run only (e.g. the DirectRunner on 20,000 small files)
        --quietLoad=0           >0: before each shape wait until the 1-minute load average is
        --quietMax=600              below this, at most quietMax seconds
        --out=bench-results.md  the report is appended here too
        --clean                 delete the generated models at the end
      """;

  /** What hashes a model. */
  enum Engine {
    CLI("cli", "default CLI"),
    DIRECT("direct", "CLI `--runner=DirectRunner`"),
    MODEL_SIGNING("model_signing", "model_signing"),
    SHA256SUM("sha256sum", "`sha256sum`, %d processes"),
    RAW("raw", "`MessageDigest`, %d threads, in memory");

    final String key;
    final String label;

    Engine(String key, String label) {
      this.key = key;
      this.label = label;
    }

    boolean printsDigest() {
      return this == CLI || this == DIRECT || this == MODEL_SIGNING;
    }
  }

  /** A model shape: file sizes, and shard size when hashed by shards. */
  record Shape(
      String key, String dirName, String description, long[] sizes, boolean oneFile, long shard) {
    long bytes() {
      return Arrays.stream(sizes).sum();
    }

    /** Bytes on disk, files rounded up to 4 KiB blocks. */
    long diskBytes() {
      return Arrays.stream(sizes).map(s -> (s + 4095) / 4096 * 4096).sum();
    }

    String fileName(int i) {
      return switch (key) {
        case "big" -> String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, n());
        case "small" -> String.format(Locale.ROOT, "layer-%03d/tensor-%05d.bin", i / 100, i);
        default -> "model.bin";
      };
    }

    int n() {
      return sizes.length;
    }

    Path model(Path cache) {
      Path d = cache.resolve(dirName);
      return oneFile ? d.resolve(fileName(0)) : d;
    }
  }

  /** One process run; {@code timedOut}: killed after {@code --timeout} seconds. */
  record Run(double seconds, long rssKib, String digest, boolean timedOut) {}

  private final Map<String, String> opts;
  private final Path cache;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final int repeat;
  private final int warmup;
  private final List<Engine> engines = new ArrayList<>();
  private final List<Shape> shapes = new ArrayList<>();
  private final String modelSigningSrc;
  private final StringBuilder report = new StringBuilder();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, String> shapeInfo = new LinkedHashMap<>();
  private final Map<String, Map<Engine, List<Run>>> results = new LinkedHashMap<>();
  private final boolean scaled;

  private HashBenchmark(Map<String, String> opts) {
    this.opts = opts;
    cache = Path.of(opts.getOrDefault("dir", "/tmp/model-signing-bench"));
    repeat = Integer.parseInt(opts.getOrDefault("repeat", "3"));
    warmup = Integer.parseInt(opts.getOrDefault("warmup", "1"));
    String src = opts.getOrDefault("modelSigningSrc", System.getenv("MODEL_SIGNING_SRC"));
    modelSigningSrc = src == null || src.isBlank() ? null : src;
    double scale = Double.parseDouble(opts.getOrDefault("scale", "1"));
    for (String e :
        opts.getOrDefault("engines", "cli,direct,model_signing,sha256sum,raw").split(",")) {
      engines.add(engine(e.trim()));
    }
    if (engines.contains(Engine.MODEL_SIGNING) && modelSigningSrc == null) {
      engines.remove(Engine.MODEL_SIGNING);
      notes.add(
          "model_signing column skipped: no `--modelSigningSrc` / `MODEL_SIGNING_SRC` given;"
              + " ratios and targets relative to it are not judged.");
    }
    long bigFiles = 8;
    long bigSize = (long) (GIB / scale);
    long smallFiles = Math.max(1, Math.round(20_000 / scale));
    long smallSize = 4 * KIB;
    long shardsSize = Math.max(1, (long) (2_097_152 / scale));
    if (opts.containsKey("big")) {
      long[] v = countTimesSize(opts.get("big"));
      bigFiles = v[0];
      bigSize = v[1];
    }
    if (opts.containsKey("small")) {
      long[] v = countTimesSize(opts.get("small"));
      smallFiles = v[0];
      smallSize = v[1];
    }
    if (opts.containsKey("shards")) {
      shardsSize = parseSize(opts.get("shards"));
    }
    long shard = parseSize(opts.getOrDefault("shardSize", "8"));
    long tiny = parseSize(opts.getOrDefault("tiny", "6"));
    scaled =
        bigFiles != 8
            || bigSize != GIB
            || smallFiles != 20_000
            || smallSize != 4 * KIB
            || shardsSize != 2_097_152
            || shard != 8
            || tiny != 6;
    for (String s : opts.getOrDefault("shapes", "tiny,shards,small,big").split(",")) {
      shapes.add(
          switch (s.trim()) {
            case "big" ->
                new Shape(
                    "big",
                    "big-" + bigFiles + "x" + formatSize(bigSize),
                    String.format(Locale.ROOT, "%d files of %s", bigFiles, human(bigSize)),
                    filled((int) bigFiles, bigSize),
                    false,
                    0);
            case "small" ->
                new Shape(
                    "small",
                    "small-" + smallFiles + "x" + formatSize(smallSize),
                    String.format(Locale.ROOT, "%,d files of %s", smallFiles, human(smallSize)),
                    filled((int) smallFiles, smallSize),
                    false,
                    0);
            case "shards" ->
                new Shape(
                    "shards",
                    "shards-" + shardsSize,
                    String.format(
                        Locale.ROOT,
                        "one file of %,d bytes, shards of %d (%,d shards)",
                        shardsSize,
                        shard,
                        (shardsSize + shard - 1) / shard),
                    new long[] {shardsSize},
                    true,
                    shard);
            case "tiny" ->
                new Shape(
                    "tiny",
                    "tiny-" + tiny,
                    String.format(Locale.ROOT, "one file of %d bytes", tiny),
                    new long[] {tiny},
                    true,
                    0);
            default ->
                throw new IllegalArgumentException(
                    "unknown shape '" + s + "' (tiny, shards, small, big)");
          });
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    if (opts.containsKey("help")) {
      System.out.print(HELP);
      return;
    }
    if (opts.containsKey("child")) {
      rawChild(Integer.parseInt(opts.get("threads")), Long.parseLong(opts.get("bytes")));
      return;
    }
    System.exit(new HashBenchmark(opts).run());
  }

  // ------------------------------------------------------------------ orchestration

  private int run() throws Exception {
    Path cli = Path.of(opts.getOrDefault("cli", "pipeline/bin/model-signing"));
    if ((engines.contains(Engine.CLI) || engines.contains(Engine.DIRECT))
        && !Files.isExecutable(cli)) {
      throw new IllegalArgumentException("no executable CLI launcher at " + cli + " (--cli=)");
    }
    Files.createDirectories(cache);
    header();
    long start = System.nanoTime();
    try {
      for (Shape shape : shapes) {
        runShape(shape);
      }
    } catch (DigestMismatch e) {
      String msg = "\n**DIGEST MISMATCH: " + e.getMessage() + "** (benchmark stopped)\n";
      System.err.println(msg);
      report.append(table()).append(msg);
      System.out.println(report);
      appendOut();
      return 3;
    }
    notes.add(
        String.format(Locale.ROOT, "Benchmark took %.0f s.", (System.nanoTime() - start) / 1e9));
    report.append(table());
    System.out.println(report);
    appendOut();
    if (opts.containsKey("clean")) {
      for (Shape s : shapes) {
        deleteTree(cache.resolve(s.dirName()));
      }
    }
    return 0;
  }

  private void header() throws IOException {
    String date = Instant.now().truncatedTo(ChronoUnit.MINUTES).toString();
    report.append("## Hashing benchmark, ").append(date).append(", ");
    report.append("commit ");
    report.append(firstLine(List.of("git", "describe", "--always", "--dirty"))).append('\n');
    if (scaled) {
      report.append("\n**Scaled-down run: not the issue's sizes.**\n");
    }
    report.append('\n');
    report.append("- machine: ").append(cpuModel()).append(", ").append(cores).append(" cores");
    report.append(cpuFlag("sha_ni") ? " (SHA extensions)" : " (no SHA extensions)");
    report.append(", ").append(memTotalGib()).append(" GiB RAM\n");
    report.append("- JDK: ").append(firstLine(List.of("java", "-version"))).append('\n');
    String env = System.getenv("MODEL_SIGNING_JAVA_OPTS");
    if (env != null) {
      report.append("- `MODEL_SIGNING_JAVA_OPTS=").append(env).append("`\n");
    }
    Path jar = Path.of("pipeline/target/model-signing.jar");
    if (Files.exists(jar)) {
      report.append("- CLI: `").append(opts.getOrDefault("cli", "pipeline/bin/model-signing"));
      report.append("` over `").append(jar).append("` built ");
      report.append(Files.getLastModifiedTime(jar).toInstant().truncatedTo(ChronoUnit.MINUTES));
      report.append('\n');
    }
    String py = opts.getOrDefault("python", "python3");
    report.append("- Python: ").append(firstLine(List.of(py, "--version"))).append('\n');
    if (modelSigningSrc != null) {
      String version = firstLine(List.of(py, driver(), "--src=" + modelSigningSrc, "--version"));
      String describe =
          firstLine(List.of("git", "-C", modelSigningSrc, "describe", "--tags", "--always"));
      report.append("- model_signing: ").append(version);
      if (!describe.startsWith("?")) {
        report.append(" (`git describe`: ").append(describe).append(')');
      }
      report.append(", hashing code from `").append(modelSigningSrc).append("/src` via `");
      report.append(driver()).append("`, default worker count (min(32, cores + 4) threads)\n");
    }
    report.append("- peak RSS: ").append(MeasuredProcess.rssMethod()).append('\n');
    report.append(
        String.format(
            Locale.ROOT,
            "- %d warm-up + %d timed rounds per shape, interleaved%n",
            warmup,
            repeat));

    long need = 0;
    long cached = 0;
    StringBuilder sizes = new StringBuilder();
    for (Shape s : shapes) {
      boolean have = Files.isDirectory(cache.resolve(s.dirName()));
      if (have) {
        cached += s.diskBytes();
      } else {
        need += s.diskBytes();
      }
      sizes.append(
          String.format(
              Locale.ROOT, "%s %s%s; ", s.key(), human(s.bytes()), have ? " (cached)" : ""));
    }
    long free = Files.getFileStore(cache).getUsableSpace();
    String disk =
        String.format(
            Locale.ROOT,
            "- models under `%s`: %sto generate %s, cached %s, free %s%n",
            cache,
            sizes,
            human(need),
            human(cached),
            human(free));
    report.append(disk);
    System.err.print(report);
    if (need > free) {
      throw new IOException("not enough disk space under " + cache + " (need " + human(need) + ")");
    }
  }

  private void runShape(Shape shape) throws Exception {
    waitQuiet();
    Path model = generate(shape);
    List<Path> files = filesOf(model);
    long bytes = shape.bytes();
    String load = loadAverage();
    System.err.printf(
        Locale.ROOT, "%n== %s: %s, load average %s%n", shape.key(), shape.description(), load);
    checkMemory(bytes);
    warmRead(files, bytes);
    List<Engine> here = new ArrayList<>();
    for (Engine e : engines) {
      if (e != Engine.RAW || shape.key().equals("big")) {
        here.add(e);
      }
    }
    Map<Engine, List<Run>> runs = new EnumMap<>(Engine.class);
    results.put(shape.key(), runs);
    String[] digest = {null};
    double slow = Double.parseDouble(opts.getOrDefault("slowRun", "120"));
    for (int round = -warmup; round < repeat; round++) {
      for (Engine e : List.copyOf(here)) {
        Run r = runOnce(e, shape, model, files);
        System.err.printf(
            Locale.ROOT,
            "  %s %-13s %8.3f s  %5d MiB%s%n",
            round < 0 ? "warm-up" : "round " + (round + 1),
            e.key,
            r.seconds(),
            r.rssKib() / 1024,
            r.digest() == null ? (r.timedOut() ? "  TIMED OUT" : "") : "  sha256:" + r.digest());
        if (r.timedOut() || (round < 0 && r.seconds() > slow)) {
          // Too slow to repeat: this run is the only measurement of the engine on this shape.
          runs.computeIfAbsent(e, k -> new ArrayList<>()).add(r);
          here.remove(e);
          notes.add(
              String.format(
                  Locale.ROOT,
                  "%s, %s: %s; measured once, not repeated.",
                  shape.key(),
                  e.key,
                  r.timedOut()
                      ? "killed after the " + opts.getOrDefault("timeout", "600") + " s timeout"
                      : String.format(
                          Locale.ROOT, "the warm-up run took %.0f s (> --slowRun)", r.seconds())));
          if (r.timedOut()) {
            continue;
          }
        }
        if (e.printsDigest()) {
          if (r.digest() == null) {
            throw new IllegalStateException(e.key + " printed no sha256: line");
          }
          if (digest[0] == null) {
            digest[0] = r.digest();
          } else if (!digest[0].equals(r.digest())) {
            shapeInfo.put(shape.key(), infoRow(shape, model, load, digest[0]));
            throw new DigestMismatch(
                shape.key()
                    + ": "
                    + e.key
                    + " printed sha256:"
                    + r.digest()
                    + ", earlier runs sha256:"
                    + digest[0]
                    + " (model "
                    + model
                    + ")");
          }
        }
        if (round >= 0 && here.contains(e)) {
          runs.computeIfAbsent(e, k -> new ArrayList<>()).add(r);
        }
      }
    }
    shapeInfo.put(shape.key(), infoRow(shape, model, load, digest[0]));
  }

  private String infoRow(Shape shape, Path model, String load, String digest) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | `%s` | %,d | %s | %s |%n",
        shape.key(),
        shape.description(),
        model,
        shape.bytes(),
        digest == null ? "—" : "`sha256:" + digest.substring(0, 16) + "…`",
        load);
  }

  private Run runOnce(Engine e, Shape shape, Path model, List<Path> files) {
    List<String> cmd = new ArrayList<>();
    switch (e) {
      case CLI, DIRECT -> {
        cmd.add(opts.getOrDefault("cli", "pipeline/bin/model-signing"));
        cmd.add("digest");
        cmd.add("--model=" + model);
        if (shape.shard() > 0) {
          cmd.add("--method=shards");
          cmd.add("--shardSize=" + shape.shard());
        }
        cmd.addAll(split(opts.getOrDefault("cliArgs", "")));
        if (e == Engine.DIRECT) {
          cmd.add("--runner=DirectRunner");
        }
      }
      case MODEL_SIGNING -> {
        cmd.add(opts.getOrDefault("python", "python3"));
        cmd.add(driver());
        cmd.add("--src=" + modelSigningSrc);
        if (shape.shard() > 0) {
          cmd.add("--shard-size=" + shape.shard());
        }
        cmd.add(model.toString());
      }
      case SHA256SUM -> {
        // One process per batch, `cores` batches at once: no process per small file.
        int batch = Math.max(1, (int) Math.ceil(files.size() / (double) (cores * 8)));
        String c =
            files.size() == 1
                ? "sha256sum '" + model + "' > /dev/null"
                : "find '"
                    + model
                    + "' -type f -print0 | xargs -0 -P "
                    + cores
                    + " -n "
                    + batch
                    + " sha256sum > /dev/null";
        cmd.addAll(List.of("sh", "-c", c));
      }
      case RAW -> {
        cmd.addAll(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-cp",
                ownJar(),
                HashBenchmark.class.getName(),
                "--child=raw",
                "--threads=" + cores,
                "--bytes=" + Math.max(shape.bytes(), 2 * GIB)));
      }
    }
    MeasuredProcess.Measured m =
        MeasuredProcess.run(
            cmd,
            Long.parseLong(opts.getOrDefault("timeout", "600")),
            opts.getOrDefault("python", "python3"));
    if (m.timedOut()) {
      return new Run(m.seconds(), -1, null, true);
    }
    if (e == Engine.RAW) {
      Matcher r = Pattern.compile("(?m)^RESULT (\\d+) (\\d+)").matcher(m.output());
      if (!r.find()) {
        throw new IllegalStateException("raw child printed no RESULT:\n" + m.output());
      }
      // At least 2 GiB are hashed (a steadier rate on scaled-down models); the row shows the
      // time this rate needs for the model's own bytes.
      double rate = Long.parseLong(r.group(1)) / (Long.parseLong(r.group(2)) / 1e9);
      return new Run(shape.bytes() / rate, m.rssKib(), null, false);
    }
    Matcher d = DIGEST.matcher(m.output());
    return new Run(
        m.seconds(), m.rssKib(), e.printsDigest() && d.find() ? d.group(1) : null, false);
  }

  private String driver() {
    return opts.getOrDefault("driver", "pipeline/bench/model_signing_digest.py");
  }

  private void waitQuiet() throws InterruptedException {
    double limit = Double.parseDouble(opts.getOrDefault("quietLoad", "0"));
    int max = Integer.parseInt(opts.getOrDefault("quietMax", "600"));
    if (limit <= 0) {
      return;
    }
    for (int waited = 0; ; waited += 15) {
      String load = loadAverage();
      if (Double.parseDouble(load) < limit) {
        return;
      }
      if (waited >= max) {
        notes.add(
            "Load average " + load + " did not drop below " + limit + " within " + max + " s.");
        return;
      }
      Thread.sleep(15_000);
    }
  }

  // ------------------------------------------------------------------ model generation

  /** The shape's model, generated unless a complete one is cached. */
  Path generate(Shape shape) throws IOException {
    Path dir = cache.resolve(shape.dirName());
    if (Files.isDirectory(dir)) {
      List<Path> files = filesOf(dir);
      long total = 0;
      for (Path p : files) {
        total += Files.size(p);
      }
      if (files.size() != shape.n() || total != shape.bytes()) {
        throw new IOException(
            dir
                + " holds "
                + files.size()
                + " files, "
                + total
                + " bytes; expected "
                + shape.n()
                + " files, "
                + shape.bytes()
                + " bytes: delete it yourself");
      }
      return shape.model(cache);
    }
    // Written under a private name and renamed when complete, so a cached model is whole.
    Path partial = cache.resolve(shape.dirName() + ".partial");
    deleteTree(partial);
    long t0 = System.nanoTime();
    byte[] block = new byte[(int) Math.min(BLOCK, Arrays.stream(shape.sizes()).max().orElse(1))];
    for (int i = 0; i < shape.n(); i++) {
      Path f = partial.resolve(shape.fileName(i));
      Files.createDirectories(f.getParent());
      // Deterministic content, different in every file: the digests are the same on any machine.
      SplittableRandom random = new SplittableRandom(shape.key().hashCode() * 1_000_003L + i);
      try (FileChannel ch =
          FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (long left = shape.sizes()[i]; left > 0; ) {
          random.nextBytes(block);
          ByteBuffer buf = ByteBuffer.wrap(block, 0, (int) Math.min(left, block.length));
          while (buf.hasRemaining()) {
            left -= ch.write(buf);
          }
        }
      }
    }
    Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
    System.err.printf(
        Locale.ROOT,
        "generated %s: %,d files, %s in %.1f s%n",
        dir,
        shape.n(),
        human(shape.bytes()),
        (System.nanoTime() - t0) / 1e9);
    return shape.model(cache);
  }

  private static long[] filled(int n, long size) {
    long[] a = new long[n];
    Arrays.fill(a, size);
    return a;
  }

  static List<Path> filesOf(Path model) throws IOException {
    try (Stream<Path> s = Files.walk(model)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Deletes a generated model (only paths under the cache directory). */
  private void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    if (!p.toAbsolutePath().normalize().startsWith(cache.toAbsolutePath().normalize())) {
      throw new IOException("refusing to delete " + p + " outside " + cache);
    }
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Files.delete(f);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Reads every file, so the engines find the bytes in the page cache. */
  private static void warmRead(List<Path> files, long bytes) throws IOException {
    long t0 = System.nanoTime();
    ByteBuffer buf = ByteBuffer.allocateDirect((int) MIB);
    for (Path p : files) {
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        while (ch.read(buf) > 0) {
          buf.clear();
        }
      }
      buf.clear();
    }
    System.err.printf(
        Locale.ROOT,
        "read %,d files, %s into page cache in %.1f s%n",
        files.size(),
        human(bytes),
        (System.nanoTime() - t0) / 1e9);
  }

  private void checkMemory(long bytes) {
    long avail = memInfoKib("MemAvailable:") * KIB;
    if (avail > 0 && bytes > avail * 0.8) {
      notes.add(
          "A "
              + human(bytes)
              + " model with "
              + human(avail)
              + " available memory may not stay in page cache.");
    }
  }

  // ------------------------------------------------------------------ child processes

  private String ownJar() {
    try {
      return Path.of(
              HashBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (Exception e) {
      return "pipeline/bench/target/benchmarks.jar";
    }
  }

  /**
   * Raw JDK SHA-256 over in-memory bytes, {@code threads} threads at once, {@code bytes} in total;
   * prints {@code RESULT <bytes> <nanos>} for the timed pass (after a 256 MiB-per-thread warm-up).
   */
  private static void rawChild(int threads, long bytes) throws Exception {
    byte[][] buffers = new byte[threads][(int) (64 * MIB)];
    for (int t = 0; t < threads; t++) {
      new SplittableRandom(t).nextBytes(buffers[t]);
    }
    hashInThreads(buffers, 256 * MIB);
    long t0 = System.nanoTime();
    long perThread = (bytes + threads - 1) / threads;
    hashInThreads(buffers, perThread);
    System.out.println("RESULT " + perThread * threads + " " + (System.nanoTime() - t0));
  }

  private static void hashInThreads(byte[][] buffers, long perThread) throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (byte[] b : buffers) {
      Thread t =
          new Thread(
              () -> {
                try {
                  MessageDigest md = MessageDigest.getInstance("SHA-256");
                  for (long done = 0; done < perThread; ) {
                    int n = (int) Math.min(b.length, perThread - done);
                    md.update(b, 0, n);
                    done += n;
                  }
                  md.digest();
                } catch (NoSuchAlgorithmException e) {
                  throw new IllegalStateException(e);
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  // ------------------------------------------------------------------ results

  static final class DigestMismatch extends RuntimeException {
    DigestMismatch(String message) {
      super(message);
    }
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static double medianSeconds(List<Run> runs) {
    return median(runs.stream().map(Run::seconds).toList());
  }

  private static double medianRssMib(List<Run> runs) {
    return median(runs.stream().map(r -> r.rssKib() / 1024.0).toList());
  }

  private String table() {
    StringBuilder t = new StringBuilder("\n");
    t.append("| shape | model | path | bytes | subject digest | load avg before |\n");
    t.append("|---|---|---|---:|---|---:|\n");
    shapeInfo.values().forEach(t::append);
    t.append('\n');
    t.append(
        "| shape | engine | wall s (median) | min–max s | peak RSS MiB (median) |"
            + " ÷ model_signing | target | result |\n");
    t.append("|---|---|---:|---:|---:|---:|---|---|\n");
    for (Shape shape : shapes) {
      Map<Engine, List<Run>> runs = results.get(shape.key());
      if (runs == null) {
        continue;
      }
      List<Run> ms = runs.get(Engine.MODEL_SIGNING);
      Double msMedian = ms == null ? null : medianSeconds(ms);
      for (Map.Entry<Engine, List<Run>> e : runs.entrySet()) {
        List<Run> r = e.getValue();
        double med = medianSeconds(r);
        double min = r.stream().mapToDouble(Run::seconds).min().orElse(Double.NaN);
        double max = r.stream().mapToDouble(Run::seconds).max().orElse(Double.NaN);
        double rss = medianRssMib(r);
        String[] target = judge(shape, e.getKey(), med, rss, msMedian);
        boolean timedOut = r.stream().anyMatch(Run::timedOut);
        String wall =
            e.getKey() == Engine.RAW
                ? String.format(Locale.ROOT, "%.3f (timed pass)", med)
                : String.format(Locale.ROOT, "%s%.3f", timedOut ? "> " : "", med);
        if (timedOut) {
          wall += " (timed out)";
          target[1] = "**missed** (timed out)";
        }
        if (r.size() != repeat) {
          wall += r.size() == 1 ? " (1 run)" : " (" + r.size() + " runs)";
        }
        t.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %.3f–%.3f | %s | %s | %s | %s |%n",
                shape.key(),
                String.format(Locale.ROOT, e.getKey().label, cores),
                wall,
                min,
                max,
                rss < 0 ? "—" : String.format(Locale.ROOT, "%.0f", rss),
                msMedian == null
                    ? "—"
                    : String.format(Locale.ROOT, "%s%.2f", timedOut ? "> " : "", med / msMedian),
                target[0],
                target[1]));
      }
    }
    t.append('\n');
    t.append(
        "Wall time: the whole process (JVM or Python start-up included), monotonic clock, models"
            + " in page cache; the raw `MessageDigest` row is its hashing pass only (≥ 2 GiB"
            + " hashed, shown as the time for the model's bytes). ÷"
            + " model_signing = median ÷ model_signing's median on the same shape. Targets from"
            + " issue #13; the RSS targets apply to the default CLI.\n");
    for (String n : notes) {
      t.append("\n").append(n).append('\n');
    }
    return t.toString();
  }

  /** {target, result} for a table row. */
  private String[] judge(Shape shape, Engine e, double med, double rssMib, Double ms) {
    String key = shape.key();
    if (e == Engine.CLI) {
      long rssLimit = key.equals("shards") ? 1024 : 256;
      String rssText = "RSS ≤ " + rssLimit + " MiB";
      Boolean rssOk = rssMib < 0 ? null : rssMib <= rssLimit;
      String timeText;
      Boolean timeOk;
      if (key.equals("tiny")) {
        timeText = "wall ≤ 1.0 s";
        timeOk = med <= 1.0;
      } else {
        double factor = key.equals("shards") ? 2.0 : 1.0;
        timeText = String.format(Locale.ROOT, "wall ≤ %.0f× model_signing", factor);
        timeOk = ms == null ? null : med <= factor * ms;
      }
      return new String[] {timeText + "; " + rssText, verdict(timeOk, rssOk)};
    }
    if (e == Engine.DIRECT && key.equals("small")) {
      Boolean ok = ms == null ? null : med <= 3 * ms;
      return new String[] {"wall ≤ 3× model_signing", verdict(ok, null)};
    }
    if (e == Engine.DIRECT && key.equals("big")) {
      List<Run> raw = results.get("big").get(Engine.RAW);
      if (raw == null) {
        return new String[] {"≥ 85 % of raw `MessageDigest` × cores", "not judged (no raw row)"};
      }
      double bytes = shape.bytes();
      double rawRate = bytes / medianSeconds(raw);
      double whole = bytes / med;
      Map<Engine, List<Run>> tiny = results.get("tiny");
      List<Run> tinyDirect = tiny == null ? null : tiny.get(Engine.DIRECT);
      String wholeText =
          String.format(
              Locale.ROOT, "whole process %.2f GB/s = %.0f %%", whole / 1e9, 100 * whole / rawRate);
      String text =
          String.format(
              Locale.ROOT,
              "rate ≥ 85 %% of raw `MessageDigest` × %d threads (%.2f GB/s)",
              cores,
              rawRate / 1e9);
      if (tinyDirect == null) {
        return new String[] {
          text + ", whole process",
          (whole >= 0.85 * rawRate ? "met" : "**missed**") + ": " + wholeText
        };
      }
      double fixed = medianSeconds(tinyDirect);
      text += String.format(Locale.ROOT, ", start-up (tiny model: %.2f s) subtracted", fixed);
      if (med - fixed < 0.1 * med) {
        // Start-up noise larger than the hashing time: no rate can be derived from this run.
        return new String[] {
          text,
          String.format(
              Locale.ROOT,
              "not judged: start-up ≥ 90 %% of the wall time (model too small or machine too"
                  + " noisy); %s",
              wholeText)
        };
      }
      double net = bytes / (med - fixed);
      return new String[] {
        text,
        String.format(
            Locale.ROOT,
            "%s: %.2f GB/s = %.0f %% (%s)",
            net >= 0.85 * rawRate ? "met" : "**missed**",
            net / 1e9,
            100 * net / rawRate,
            wholeText)
      };
    }
    return new String[] {"—", "—"};
  }

  /** "met", "**missed** (what)" or "not judged (why)"; {@code null} means not judged. */
  private static String verdict(Boolean wallOk, Boolean rssOk) {
    List<String> missed = new ArrayList<>();
    if (Boolean.FALSE.equals(wallOk)) {
      missed.add("wall");
    }
    if (Boolean.FALSE.equals(rssOk)) {
      missed.add("RSS");
    }
    if (!missed.isEmpty()) {
      return "**missed** ("
          + String.join(", ", missed)
          + ")"
          + (wallOk == null ? "; wall not judged (no model_signing)" : "");
    }
    return wallOk == null
        ? "wall not judged (no model_signing)" + (rssOk == null ? "" : "; RSS met")
        : "met";
  }

  private void appendOut() throws IOException {
    String out = opts.getOrDefault("out", "bench-results.md");
    if (!out.isBlank()) {
      Files.writeString(
          Path.of(out),
          report + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      System.err.println("appended to " + out);
    }
  }

  // ------------------------------------------------------------------ machine facts

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
    } catch (IOException e) {
      return "0";
    }
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .takeWhile(l -> !l.isBlank()) // the first processor
          .filter(l -> l.matches("(model name|cpu family|model)\\s*:.*"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .reduce((a, b) -> a + ", " + b)
          .map(v -> v.replaceFirst("^(\\d+), (\\d+), (.*)$", "$3 (family $1, model $2)"))
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static boolean cpuFlag(String flag) {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("flags"))
          .anyMatch(l -> Arrays.asList(l.split("\\s+")).contains(flag));
    } catch (IOException e) {
      return false;
    }
  }

  private static long memInfoKib(String key) {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      return lines
          .filter(l -> l.startsWith(key))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
          .findFirst()
          .orElse(-1L);
    } catch (IOException e) {
      return -1;
    }
  }

  private static String memTotalGib() {
    return String.format(Locale.ROOT, "%.0f", memInfoKib("MemTotal:") / (double) MIB);
  }

  /** The first output line of a short command, or "?" when it cannot run. */
  private static String firstLine(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        return "?";
      }
      return out.lines().findFirst().orElse("?").trim();
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  // ------------------------------------------------------------------ small helpers

  private static Engine engine(String key) {
    for (Engine e : Engine.values()) {
      if (e.key.equals(key)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown engine '" + key + "' (cli, direct, model_signing, sha256sum, raw)");
  }

  static long[] countTimesSize(String s) {
    String[] p = s.toLowerCase(Locale.ROOT).split("x", 2);
    if (p.length != 2) {
      throw new IllegalArgumentException("expected <files>x<size>, e.g. 8x1g: " + s);
    }
    return new long[] {Long.parseLong(p[0].trim()), parseSize(p[1])};
  }

  static long parseSize(String s) {
    String v = s.toLowerCase(Locale.ROOT).trim();
    long mult =
        switch (v.charAt(v.length() - 1)) {
          case 'k' -> KIB;
          case 'm' -> MIB;
          case 'g' -> GIB;
          default -> 1;
        };
    if (mult == 1) {
      return Long.parseLong(v);
    }
    return (long) (Double.parseDouble(v.substring(0, v.length() - 1)) * mult);
  }

  static String formatSize(long b) {
    if (b >= GIB && b % GIB == 0) {
      return b / GIB + "g";
    }
    if (b >= MIB && b % MIB == 0) {
      return b / MIB + "m";
    }
    if (b >= KIB && b % KIB == 0) {
      return b / KIB + "k";
    }
    return String.valueOf(b);
  }

  static String human(long b) {
    if (b >= GIB) {
      return String.format(Locale.ROOT, "%.1f GiB", b / (double) GIB);
    }
    if (b >= MIB) {
      return String.format(Locale.ROOT, "%.1f MiB", b / (double) MIB);
    }
    if (b >= KIB) {
      return String.format(Locale.ROOT, "%.1f KiB", b / (double) KIB);
    }
    return b + " B";
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new TreeMap<>();
    for (String a : args) {
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("options are --name=value: " + a);
      }
      int eq = a.indexOf('=');
      if (eq < 0) {
        m.put(a.substring(2), "true");
      } else {
        m.put(a.substring(2, eq), a.substring(eq + 1));
      }
    }
    return m;
  }

  private static List<String> split(String s) {
    return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }
}
