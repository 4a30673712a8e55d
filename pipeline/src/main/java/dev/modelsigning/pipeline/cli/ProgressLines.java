package dev.modelsigning.pipeline.cli;

import dev.modelsigning.core.local.HashProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a long hash on stderr: bytes hashed of bytes listed, rate and time left, at most one
 * line per interval, from whichever hashing thread crosses it (so a single big file being hashed
 * reports too).
 */
final class ProgressLines implements HashProgress {
  private final PrintStream err;
  private final long intervalNanos;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong nextReport = new AtomicLong();
  private volatile long total;
  private volatile long start;

  ProgressLines(PrintStream err, double intervalSeconds) {
    this.err = err;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
  }

  @Override
  public void started(long totalBytes) {
    total = totalBytes;
    start = System.nanoTime();
    nextReport.set(start + intervalNanos);
  }

  @Override
  public void hashed(long bytes) {
    long sofar = done.addAndGet(bytes);
    long now = System.nanoTime();
    long due = nextReport.get();
    if (now >= due && nextReport.compareAndSet(due, now + intervalNanos)) {
      err.println(line(sofar, now));
    }
  }

  private String line(long sofar, long now) {
    double secs = Math.max(1e-9, (now - start) / 1e9);
    double rate = sofar / secs;
    long left = rate > 0 ? Math.round((total - sofar) / rate) : -1;
    return String.format(
        Locale.ROOT,
        "hashed %s of %s (%d%%), %s/s, about %d s left",
        size(sofar),
        size(total),
        total == 0 ? 100 : Math.round(100.0 * sofar / total),
        size((long) rate),
        left);
  }

  static String size(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }
}
