package dev.modelsigning.bench;

import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.hashing.RangeHasher;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Measures how fast a model is hashed, from the kernel up to the whole signing job, on one machine
 * with the model in the page cache. A command, not a test:
 *
 * <pre>
 * java -cp pipeline/target/model-signing.jar dev.modelsigning.bench.HashBenchmark \
 *     --size=8g --shape=one-file|shards|small-files --dir=/tmp/bench
 * </pre>
 *
 * <p>It generates a synthetic model (reused when present), reads it once so it is cached, then runs
 * every measurement in a child process (JVMs and tools alike) so that each has its own peak RSS:
 * (a) our kernel, {@link RangeHasher} over a {@link FileChannel}, one thread; (b) a bare JDK {@link
 * MessageDigest} over the same bytes, in memory and memory-mapped; (c) coreutils {@code sha256sum}
 * and {@code openssl dgst -sha256}; (d) the {@code digest} and {@code sign --signer=key} jobs on
 * the DirectRunner at three model sizes, fitted to {@code time = fixed + bytes / slope}. It prints
 * one Markdown table. Rates are 10^9 bytes per second (GB/s); sizes given as {@code 8g} are GiB.
 */
public final class HashBenchmark {
  private static final long KIB = 1024;
  private static final long MIB = KIB * KIB;
  private static final long GIB = MIB * KIB;
  private static final int GEN_BLOCK = (int) (16 * MIB);

  private final Map<String, String> opts;
  private final PrintStream out;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final int cores = Runtime.getRuntime().availableProcessors();

  private HashBenchmark(Map<String, String> opts, PrintStream out) {
    this.opts = opts;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    if (opts.containsKey("help")) {
      System.out.println(HELP);
      return;
    }
    if (opts.containsKey("child")) {
      child(opts);
      return;
    }
    new HashBenchmark(opts, System.out).run();
  }

  private static final String HELP =
      """
      HashBenchmark --size=8g --shape=one-file|shards|small-files --dir=/tmp/bench [options]
        --files=2000            number of files for --shape=small-files
        --repeat=3              runs of each measurement (median reported, min..max shown)
        --fitSizes=1m,2g        extra model sizes for the pipeline line fit (default: 1m and size/4)
        --method=               pipeline --method (default: shards for one-file, else files)
        --pipelineArgs=         extra options for the pipeline, space separated
        --jvmArgs=              extra JVM options for every child JVM, space separated
        --key=pipeline/sample/keys/demo-private-key.pem
        --jar=pipeline/target/model-signing.jar (default: the jar this class was loaded from)
        --only=kernel,raw,tools,pipeline   which groups to run (default: all)
        --out=file.md           also append the table to this file
      """;

  // ------------------------------------------------------------------ orchestration

  private void run() throws Exception {
    long size = parseSize(require("size"));
    String shape = require("shape");
    Path dir = Path.of(opts.getOrDefault("dir", "/tmp/bench"));
    int files = Integer.parseInt(opts.getOrDefault("files", "2000"));
    int repeat = Integer.parseInt(opts.getOrDefault("repeat", "3"));
    String only = opts.getOrDefault("only", "kernel,raw,tools,pipeline");
    String method =
        opts.getOrDefault("method", shape.equals("one-file") ? "shards" : "files").trim();

    Path model = ensureModel(dir, shape, size, files);
    List<Path> modelFiles = filesOf(model);
    long bytes = totalBytes(modelFiles);
    checkMemory(bytes);
    warm(model, modelFiles, bytes);

    if (only.contains("kernel")) {
      Row r =
          median(
              repeat,
              () -> javaChild("kernel", "RangeHasher, FileChannel, heap 1 MiB buffer", model, 1));
      rows.add(r);
    }
    if (only.contains("raw")) {
      rows.add(
          median(
              repeat,
              () ->
                  javaChild(
                      "raw-mem",
                      "MessageDigest.update(byte[]), bytes read into heap first (untimed)",
                      model,
                      1)));
      rows.add(
          median(
              repeat,
              () ->
                  javaChild(
                      "raw-mmap", "MessageDigest.update(MappedByteBuffer), 1 GiB maps", model, 1)));
    }
    if (only.contains("tools")) {
      tools(model, modelFiles, bytes, repeat);
    }
    if (only.contains("pipeline")) {
      pipeline(dir, shape, size, files, method, repeat);
    }
    String table = table(shape, size, modelFiles.size(), bytes);
    out.println();
    out.println(table);
    String file = opts.get("out");
    if (file != null) {
      Files.writeString(
          Path.of(file),
          table + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }

  private void tools(Path model, List<Path> modelFiles, long bytes, int repeat) throws Exception {
    int n = modelFiles.size();
    int par = n == 1 ? 1 : cores;
    // One process per batch, cores batches running at once: no process per small file.
    int batch = Math.max(1, (int) Math.ceil(n / (double) (cores * 8)));
    for (String tool : List.of("sha256sum", "openssl dgst -sha256")) {
      String exe = tool.split(" ")[0];
      if (which(exe) == null) {
        notes.add(exe + " not installed: skipped");
        continue;
      }
      String cmd =
          n == 1
              ? tool + " '" + modelFiles.get(0) + "' > /dev/null"
              : "find '"
                  + model
                  + "' -type f -print0 | xargs -0 -P "
                  + cores
                  + " -n "
                  + batch
                  + " "
                  + tool
                  + " > /dev/null";
      String label = n == 1 ? tool + " (1 process)" : tool + " (xargs -P " + cores + ")";
      // coreutils sha256sum has no SHA extensions (~0.3 GB/s): once is enough.
      int runs = exe.equals("sha256sum") ? 1 : repeat;
      rows.add(
          median(
              runs,
              () -> {
                Measured m = measure(List.of("sh", "-c", cmd), null);
                return new Row(
                    label, bytes, par, m, "`" + cmd.replace(model.toString(), "$M") + "`");
              }));
    }
  }

  private void pipeline(Path dir, String shape, long size, int files, String method, int repeat)
      throws Exception {
    String jar = jar();
    String key = opts.getOrDefault("key", "pipeline/sample/keys/demo-private-key.pem");
    if (!Files.exists(Path.of(key))) {
      throw new IllegalArgumentException("no key at " + key + " (--key=)");
    }
    List<Long> sizes = new ArrayList<>();
    String fit = opts.get("fitSizes");
    if (fit == null) {
      sizes.add(MIB);
      if (size / 4 > MIB) {
        sizes.add(size / 4);
      }
    } else if (!fit.isBlank()) {
      for (String s : fit.split(",")) {
        sizes.add(parseSize(s.trim()));
      }
    }
    sizes.add(size);
    List<String> extra = split(opts.getOrDefault("pipelineArgs", ""));
    for (String command : List.of("digest", "sign")) {
      List<double[]> points = new ArrayList<>();
      Row last = null;
      for (long s : sizes) {
        Path m = ensureModel(dir, shape, s, files);
        List<Path> mf = filesOf(m);
        long b = totalBytes(mf);
        warm(m, mf, b);
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("-jar", jar, command, "--model=" + m, "--method=" + method));
        if (command.equals("sign")) {
          cmd.addAll(
              List.of(
                  "--signer=key",
                  "--privateKey=" + key,
                  "--signature=" + dir.resolve(m.getFileName() + ".sig"),
                  "--overwrite=true"));
        }
        cmd.addAll(extra);
        String label = command + " --method=" + method + (extra.isEmpty() ? "" : " " + extra);
        Row r =
            median(
                repeat,
                () -> {
                  Measured me = measure(cmd, null);
                  return new Row(label, b, cores, me, "DirectRunner, whole process");
                });
        for (double t : r.all) {
          points.add(new double[] {b, t});
        }
        rows.add(r);
        last = r;
      }
      if (points.size() >= 2 && last != null) {
        double[] f = fit(points);
        double fixed = f[0];
        double slope = 1 / f[1];
        Row fitRow =
            new Row(
                command + " fit: time = fixed + bytes/slope",
                Double.NaN,
                cores,
                new Measured(Double.NaN, -1, ""),
                String.format(
                    Locale.ROOT,
                    "fixed %.2f s, slope %.2f GB/s, R² %.4f, %d points",
                    fixed,
                    slope / 1e9,
                    f[2],
                    points.size()));
        fitRow.rateOverride = slope;
        fitRow.fixed = fixed;
        rows.add(fitRow);
      }
    }
  }

  // ------------------------------------------------------------------ model generation

  /** The model directory for a shape and size, generated unless a complete one is there. */
  static Path ensureModel(Path dir, String shape, long size, int files) throws IOException {
    String name = shape + "-" + formatSize(size) + (shape.equals("small-files") ? "-" + files : "");
    Path model = dir.resolve(name);
    Path done = dir.resolve(name + ".complete");
    if (Files.exists(done) && Files.isDirectory(model)) {
      return model;
    }
    if (Files.exists(model)) {
      // Never delete: --dir may be pointed at real data by mistake.
      throw new IOException(
          model
              + " exists but is not a complete benchmark model (no "
              + done.getFileName()
              + "); delete it yourself or choose another --dir");
    }
    Files.createDirectories(model);
    long t0 = System.nanoTime();
    List<long[]> plan = plan(shape, size, files);
    SplittableRandom random = new SplittableRandom(42);
    byte[] block = new byte[GEN_BLOCK];
    random.nextBytes(block);
    ByteBuffer buf = ByteBuffer.wrap(block);
    long counter = 0;
    for (int i = 0; i < plan.size(); i++) {
      long len = plan.get(i)[0];
      Path f = model.resolve(fileName(shape, i, plan.size()));
      Files.createDirectories(f.getParent());
      try (FileChannel ch =
          FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long left = len;
        while (left > 0) {
          // Distinct content per block, so no two blocks (or files) are identical.
          buf.clear();
          buf.putLong(0, counter++);
          buf.putLong(8, i);
          buf.limit((int) Math.min(left, block.length));
          while (buf.hasRemaining()) {
            left -= ch.write(buf);
          }
        }
      }
    }
    Files.writeString(done, size + "\n");
    System.err.printf(
        Locale.ROOT,
        "generated %s: %d files, %s in %.1f s%n",
        model,
        plan.size(),
        formatSize(size),
        (System.nanoTime() - t0) / 1e9);
    return model;
  }

  /**
   * File sizes for a shape. one-file: one file. shards: safetensors-like shards of up to 5 GB, at
   * least 8 of them (so a small model keeps the shape), the last one smaller. small-files: {@code
   * files} files whose sizes vary 1..9 times, together {@code size}.
   */
  static List<long[]> plan(String shape, long size, int files) {
    List<long[]> plan = new ArrayList<>();
    switch (shape) {
      case "one-file" -> plan.add(new long[] {size});
      case "shards" -> {
        long nominal = Math.max(MIB, Math.min(5_000_000_000L, size / 8));
        nominal += nominal / 8; // the last shard is then the smaller one
        for (long left = size; left > 0; left -= nominal) {
          plan.add(new long[] {Math.min(nominal, left)});
        }
      }
      case "small-files" -> {
        long weights = 0;
        for (int i = 0; i < files; i++) {
          weights += weight(i);
        }
        long given = 0;
        for (int i = 0; i < files; i++) {
          long len = i == files - 1 ? size - given : Math.max(1, size / weights * weight(i));
          plan.add(new long[] {len});
          given += len;
        }
      }
      default ->
          throw new IllegalArgumentException(
              "unknown --shape=" + shape + " (one-file, shards, small-files)");
    }
    return plan;
  }

  private static long weight(int i) {
    return 1 + (i * 7919L) % 9;
  }

  private static String fileName(String shape, int i, int n) {
    return switch (shape) {
      case "one-file" -> "model.bin";
      case "shards" -> String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, n);
      default -> String.format(Locale.ROOT, "layer-%03d/tensor-%05d.bin", i / 100, i);
    };
  }

  static List<Path> filesOf(Path model) throws IOException {
    try (Stream<Path> s = Files.walk(model)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static long totalBytes(List<Path> files) throws IOException {
    long n = 0;
    for (Path p : files) {
      n += Files.size(p);
    }
    return n;
  }

  /** Reads every file twice: the first read fills the page cache, the second times it. */
  private void warm(Path model, List<Path> files, long bytes) throws IOException {
    readAll(files);
    long t0 = System.nanoTime();
    readAll(files);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.err.printf(
        Locale.ROOT,
        "cached %s: %d files, %d bytes, re-read at %.2f GB/s%n",
        model,
        files.size(),
        bytes,
        bytes / secs / 1e9);
    String fincore = which("fincore");
    if (fincore != null && files.size() <= 64) {
      List<String> cmd =
          new ArrayList<>(List.of(fincore, "--bytes", "--noheadings", "--output=RES"));
      files.forEach(f -> cmd.add(f.toString()));
      long resident = 0;
      for (String l : measure(cmd, null).output().split("\n")) {
        if (!l.isBlank()) {
          resident += Long.parseLong(l.trim());
        }
      }
      System.err.printf(
          Locale.ROOT,
          "  fincore: %.1f%% of the model is in page cache%n",
          100.0 * resident / bytes);
      if (resident < bytes * 0.99) {
        notes.add(
            String.format(
                Locale.ROOT,
                "only %.1f%% of %s was in page cache after warming",
                100.0 * resident / bytes,
                model.getFileName()));
      }
    }
  }

  private static void readAll(List<Path> files) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect((int) (4 * MIB));
    for (Path p : files) {
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        while (ch.read(buf.clear()) > 0) {}
      }
    }
  }

  private void checkMemory(long bytes) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemAvailable:")) {
        long avail = Long.parseLong(line.replaceAll("\\D", "")) * KIB;
        if (bytes > avail * 0.8) {
          notes.add(
              "model ("
                  + bytes
                  + " B) is close to or above available memory ("
                  + avail
                  + " B): it may not stay in page cache");
        }
      }
    }
  }

  // ------------------------------------------------------------------ child processes

  private Row javaChild(String mode, String what, Path model, int threads) {
    List<String> cmd = new ArrayList<>(javaCommand());
    if (mode.equals("raw-mem")) {
      cmd.add("-Xmx3g"); // holds up to 2 GiB of the model; beyond that the same bytes are re-hashed
    }
    cmd.addAll(
        List.of(
            "-cp", jar(), HashBenchmark.class.getName(), "--child=" + mode, "--model=" + model));
    Measured m = measure(cmd, null);
    String[] result = m.line("RESULT").split(" ");
    long bytes = Long.parseLong(result[1]);
    double secs = Long.parseLong(result[2]) / 1e9;
    Row r = new Row(mode + ": " + what, bytes, threads, m, "timed pass only, after warm-up");
    r.seconds = secs;
    return r;
  }

  private List<String> javaCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(split(opts.getOrDefault("jvmArgs", "")));
    return cmd;
  }

  private String jar() {
    String jar = opts.get("jar");
    if (jar != null) {
      return jar;
    }
    try {
      return Path.of(
              HashBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (Exception e) {
      return "pipeline/target/model-signing.jar";
    }
  }

  /** Runs a command to completion: wall time, peak RSS (GNU time -v if installed), output. */
  static Measured measure(List<String> command, File workDir) {
    String time =
        which("time") != null && Files.isExecutable(Path.of("/usr/bin/time"))
            ? "/usr/bin/time"
            : null;
    List<String> cmd = new ArrayList<>();
    Path timeOut = null;
    try {
      if (time != null) {
        timeOut = Files.createTempFile("bench-time", ".txt");
        cmd.addAll(List.of(time, "-v", "-o", timeOut.toString()));
      }
      cmd.addAll(command);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (workDir != null) {
        pb.directory(workDir);
      }
      long t0 = System.nanoTime();
      Process p = pb.start();
      long hwm = -1;
      StringBuilder output = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l; (l = r.readLine()) != null; ) {
                    synchronized (output) {
                      output.append(l).append('\n');
                    }
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      reader.start();
      while (p.isAlive()) {
        if (time == null) {
          hwm = Math.max(hwm, vmHwmKib(p.pid()));
        }
        Thread.sleep(10);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      reader.join();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "exit " + p.exitValue() + " from " + String.join(" ", command) + "\n" + output);
      }
      if (timeOut != null) {
        for (String l : Files.readAllLines(timeOut)) {
          if (l.contains("Maximum resident set size")) {
            hwm = Long.parseLong(l.replaceAll("\\D", ""));
          }
        }
      }
      return new Measured(secs, hwm, output.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (timeOut != null) {
        try {
          Files.deleteIfExists(timeOut);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
  }

  private static long vmHwmKib(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process just ended
    }
    return -1;
  }

  /** A measurement in a child JVM; prints {@code RESULT <bytes> <nanos> <check>}. */
  private static void child(Map<String, String> opts) throws Exception {
    Path model = Path.of(opts.get("model"));
    List<Path> files = filesOf(model);
    long total = totalBytes(files);
    String mode = opts.get("child");
    int bufferSize =
        Integer.parseInt(opts.getOrDefault("buffer", "" + RangeHasher.DEFAULT_BUFFER_SIZE));
    // Warm-up: JIT-compile the digest loop on up to 256 MiB before the timed pass.
    long warm = Math.min(total, 256 * MIB);
    byte[] check;
    long t0;
    switch (mode) {
      case "kernel" -> {
        RangeHasher hasher = new RangeHasher(bufferSize);
        try (FileChannel ch = FileChannel.open(files.get(0), StandardOpenOption.READ)) {
          hasher.hash(ch, Math.min(warm, Files.size(files.get(0))), HashAlgorithm.SHA256, "warm");
        }
        t0 = System.nanoTime();
        check = new byte[32];
        for (Path p : files) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            xor(check, hasher.hash(ch, ch.size(), HashAlgorithm.SHA256, p.toString()));
          }
        }
      }
      case "raw-mem" -> {
        // The same bytes, read into the heap first (untimed); at most 2 GiB are held, and when
        // the model is bigger they are hashed again until as many bytes as the model's are done.
        long hold = Math.min(total, 2 * GIB);
        List<byte[]> chunks = new ArrayList<>();
        long loaded = 0;
        for (Path p : files) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            while (loaded < hold) {
              int n = (int) Math.min(64 * MIB, Math.min(hold - loaded, ch.size() - ch.position()));
              if (n <= 0) {
                break;
              }
              byte[] a = new byte[n];
              ByteBuffer b = ByteBuffer.wrap(a);
              while (b.hasRemaining() && ch.read(b) > 0) {}
              chunks.add(a);
              loaded += n;
            }
          }
        }
        MessageDigest md = HashAlgorithm.sha256();
        for (long done = 0; done < warm; ) {
          byte[] a = chunks.get(0);
          int n = (int) Math.min(a.length, warm - done);
          md.update(a, 0, n);
          done += n;
        }
        md.digest();
        t0 = System.nanoTime();
        long done = 0;
        int i = 0;
        while (done < total) {
          byte[] a = chunks.get(i++ % chunks.size());
          int n = (int) Math.min(a.length, total - done);
          md.update(a, 0, n);
          done += n;
        }
        check = md.digest();
      }
      case "raw-mmap" -> {
        MessageDigest md = HashAlgorithm.sha256();
        try (FileChannel ch = FileChannel.open(files.get(0), StandardOpenOption.READ)) {
          md.update(ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(warm, ch.size())));
        }
        md.digest();
        t0 = System.nanoTime();
        check = new byte[32];
        for (Path p : files) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            for (long pos = 0; pos < size; pos += GIB) {
              MappedByteBuffer m =
                  ch.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(GIB, size - pos));
              md.update(m);
            }
          }
          xor(check, md.digest());
        }
      }
      default -> throw new IllegalArgumentException("unknown --child=" + mode);
    }
    long nanos = System.nanoTime() - t0;
    System.out.println("RESULT " + total + " " + nanos + " " + hex(check));
  }

  private static void xor(byte[] into, byte[] d) {
    for (int i = 0; i < into.length; i++) {
      into[i] ^= d[i];
    }
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  // ------------------------------------------------------------------ results

  record Measured(double seconds, long peakRssKib, String output) {
    String line(String prefix) {
      return Arrays.stream(output.split("\n"))
          .filter(l -> l.startsWith(prefix))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no " + prefix + " line in:\n" + output));
    }
  }

  static final class Row {
    final String what;
    final double bytes;
    final int threads;
    double seconds;
    final long rssKib;
    final String notes;
    double[] all = new double[0];
    double rateOverride = Double.NaN;
    double fixed = Double.NaN;

    Row(String what, double bytes, int threads, Measured m, String notes) {
      this.what = what;
      this.bytes = bytes;
      this.threads = threads;
      this.seconds = m.seconds();
      this.rssKib = m.peakRssKib();
      this.notes = notes;
    }

    double rate() {
      return Double.isNaN(rateOverride) ? bytes / seconds : rateOverride;
    }
  }

  interface RowSupplier {
    Row get() throws Exception;
  }

  /** Runs a measurement {@code n} times; the median run, with the spread in its notes. */
  private Row median(int n, RowSupplier s) throws Exception {
    List<Row> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Row r = s.get();
      System.err.printf(
          Locale.ROOT,
          "  %s: %.3f s, %.2f GB/s, peak RSS %d MiB%n",
          r.what,
          r.seconds,
          r.rate() / 1e9,
          r.rssKib / 1024);
      runs.add(r);
    }
    runs.sort((a, b) -> Double.compare(a.seconds, b.seconds));
    Row med = runs.get(runs.size() / 2);
    med.all = runs.stream().mapToDouble(r -> r.seconds).toArray();
    return med;
  }

  /** Least squares {@code t = a + b * bytes}: {a, b, r²}. */
  static double[] fit(List<double[]> pts) {
    double n = pts.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (double[] p : pts) {
      sx += p[0];
      sy += p[1];
      sxx += p[0] * p[0];
      sxy += p[0] * p[1];
    }
    double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    double a = (sy - b * sx) / n;
    double mean = sy / n;
    double ssTot = 0;
    double ssRes = 0;
    for (double[] p : pts) {
      ssTot += (p[1] - mean) * (p[1] - mean);
      double e = p[1] - (a + b * p[0]);
      ssRes += e * e;
    }
    return new double[] {a, b, 1 - ssRes / ssTot};
  }

  private String table(String shape, long size, int nFiles, long bytes) {
    StringBuilder t = new StringBuilder();
    Row kernel = rows.stream().filter(r -> r.what.startsWith("kernel")).findFirst().orElse(null);
    t.append(
        String.format(
            Locale.ROOT,
            "### %s, %s (%d files, %d bytes), %d cores, load before: %s%n%n",
            shape,
            formatSize(size),
            nFiles,
            bytes,
            cores,
            loadAverage()));
    t.append(
        "| measurement | bytes | threads | time s (median; min..max) | GB/s |"
            + " % of cores x kernel | peak RSS MiB | notes |\n");
    t.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      String times =
          Double.isNaN(r.seconds)
              ? "—"
              : String.format(Locale.ROOT, "%.2f", r.seconds)
                  + (r.all.length > 1
                      ? String.format(
                          Locale.ROOT, " (%.2f..%.2f)", r.all[0], r.all[r.all.length - 1])
                      : "");
      String pct = "—";
      if (kernel != null) {
        double ref = kernel.rate() * Math.min(r.threads, cores);
        pct = String.format(Locale.ROOT, "%.0f%%", 100 * r.rate() / ref);
      }
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %s | %.2f | %s | %s | %s |%n",
              r.what,
              Double.isNaN(r.bytes) ? "—" : String.valueOf((long) r.bytes),
              r.threads,
              times,
              r.rate() / 1e9,
              pct,
              r.rssKib < 0 ? "—" : String.valueOf(r.rssKib / 1024),
              r.notes));
    }
    t.append('\n');
    t.append(
        "Peak RSS: "
            + (Files.isExecutable(Path.of("/usr/bin/time"))
                ? "GNU time -v (Maximum resident set size) of each child process"
                : "VmHWM from /proc/<pid>/status, polled every 10 ms")
            + ". GB/s = 10^9 bytes/s. Kernel and raw rows time the hashing pass only;"
            + " tool and pipeline rows time the whole process.\n");
    for (String n : notes) {
      t.append("\nNote: ").append(n).append('\n');
    }
    return t.toString();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  // ------------------------------------------------------------------ small helpers

  static long parseSize(String s) {
    String v = s.toLowerCase(Locale.ROOT).trim();
    long mult = 1;
    char last = v.charAt(v.length() - 1);
    switch (last) {
      case 'k' -> mult = KIB;
      case 'm' -> mult = MIB;
      case 'g' -> mult = GIB;
      case 't' -> mult = GIB * KIB;
      default -> {
        return Long.parseLong(v);
      }
    }
    return (long) (Double.parseDouble(v.substring(0, v.length() - 1)) * mult);
  }

  static String formatSize(long b) {
    if (b % GIB == 0) {
      return b / GIB + "g";
    }
    if (b % MIB == 0) {
      return b / MIB + "m";
    }
    return b + "b";
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
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

  private String require(String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + "= is required\n" + HELP);
    }
    return v;
  }

  private static List<String> split(String s) {
    return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }

  private static String which(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(d, exe);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
