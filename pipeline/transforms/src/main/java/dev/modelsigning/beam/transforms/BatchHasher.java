package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.UnitHasher;
import dev.modelsigning.beam.values.HashBatch;
import dev.modelsigning.beam.values.HashedBatch;
import dev.modelsigning.beam.values.RunTask;
import dev.modelsigning.beam.values.UnitResult;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.manifest.WorkUnit;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hashes batches on a worker, run by run, with a bounded buffer, for the DoFns that hash ({@link
 * HashBatchFn}, and {@link PlanBatchesFn} for models of one batch). With {@code failFast} off, an
 * unreadable run becomes failed results for its model instead of failing the job. Its owner calls
 * {@link #setup} from {@code @Setup} and {@link #finishBundle} from {@code @FinishBundle}.
 */
final class BatchHasher implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(HashBatchFn.class);
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final boolean failFast;
  private final int bufferSize;
  private final Counter units = Metrics.counter("model-signing", "unitsHashed");
  private final Counter bytes = Metrics.counter("model-signing", "bytesHashed");
  private transient @Nullable UnitHasher hasher;
  private transient long bytesSinceLog;
  private transient long lastLog;
  private transient long bundleUnits;
  private transient long bundleBytes;

  BatchHasher(boolean failFast, int bufferSize) {
    this.failFast = failFast;
    this.bufferSize = bufferSize;
  }

  void setup() {
    hasher = new UnitHasher(bufferSize);
    lastLog = System.nanoTime();
  }

  HashedBatch hash(HashBatch batch) {
    List<UnitResult> results = new ArrayList<>(batch.units());
    for (RunTask run : batch.runs()) {
      hashRun(run, results);
    }
    return new HashedBatch(results);
  }

  private void hashRun(RunTask run, List<UnitResult> results) {
    UnitHasher h = Objects.requireNonNull(hasher, "setup() runs before any element");
    List<WorkUnit> runUnits = run.run().units();
    try {
      List<byte[]> digests = h.hashRun(run, this::logProgress);
      for (int i = 0; i < runUnits.size(); i++) {
        results.add(UnitResult.ok(runUnits.get(i), digests.get(i)));
      }
    } catch (IOException | ModelSigningException e) {
      String message =
          e instanceof ModelSigningException
              ? Objects.requireNonNull(e.getMessage(), "a ModelSigningException has a message")
              : "cannot read '" + run.run().path() + "': " + e;
      if (failFast) {
        throw new ModelSigningException(message, e);
      }
      for (WorkUnit u : runUnits) {
        results.add(UnitResult.failed(u, message));
      }
    }
    units.inc(runUnits.size());
    bytes.inc(run.run().length());
    bundleUnits += runUnits.size();
    bundleBytes += run.run().length();
  }

  /** A worker's share, once per bundle: shows the work spread over the workers. */
  void finishBundle() {
    if (bundleUnits > 0) {
      LOG.info("Hashed {} units ({} bytes) on this worker", bundleUnits, bundleBytes);
    }
    bundleUnits = 0;
    bundleBytes = 0;
  }

  /** A person watching a long job sees it advance, at most one line per worker every 10 s. */
  private void logProgress(long n) {
    bytesSinceLog += n;
    long now = System.nanoTime();
    if (now - lastLog >= LOG_EVERY_NANOS) {
      double secs = (now - lastLog) / 1e9;
      LOG.info(
          "Hashed {} MB in the last {} s ({} MB/s on this worker)",
          bytesSinceLog >> 20,
          Math.round(secs),
          Math.round((bytesSinceLog / 1e6) / secs));
      bytesSinceLog = 0;
      lastLog = now;
    }
  }
}
