package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.UnitHasher;
import dev.modelsigning.beam.values.HashBatch;
import dev.modelsigning.beam.values.HashedBatch;
import dev.modelsigning.beam.values.RunTask;
import dev.modelsigning.beam.values.UnitResult;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.manifest.WorkUnit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hashes one batch on a worker, run by run, with a bounded buffer. With {@code failFast} off, an
 * unreadable run becomes failed results for its model instead of failing the job.
 */
class HashBatchFn extends DoFn<KV<String, HashBatch>, KV<String, HashedBatch>> {
  private static final Logger LOG = LoggerFactory.getLogger(HashBatchFn.class);
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final boolean failFast;
  private final int bufferSize;
  private final Counter units = Metrics.counter("model-signing", "unitsHashed");
  private final Counter bytes = Metrics.counter("model-signing", "bytesHashed");
  private transient UnitHasher hasher;
  private transient long bytesSinceLog;
  private transient long lastLog;
  private transient long bundleUnits;
  private transient long bundleBytes;

  HashBatchFn(boolean failFast, int bufferSize) {
    this.failFast = failFast;
    this.bufferSize = bufferSize;
  }

  @Setup
  public void setup() {
    hasher = new UnitHasher(bufferSize);
    lastLog = System.nanoTime();
  }

  @StartBundle
  public void startBundle() {
    bundleUnits = 0;
    bundleBytes = 0;
  }

  @ProcessElement
  public void process(
      @Element KV<String, HashBatch> element, OutputReceiver<KV<String, HashedBatch>> out) {
    List<UnitResult> results = new ArrayList<>(element.getValue().units());
    for (RunTask run : element.getValue().runs()) {
      hashRun(run, results);
    }
    out.output(KV.of(element.getKey(), new HashedBatch(results)));
  }

  private void hashRun(RunTask run, List<UnitResult> results) {
    List<WorkUnit> runUnits = run.run().units();
    try {
      List<byte[]> digests = hasher.hashRun(run, this::logProgress);
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
  @FinishBundle
  public void finishBundle() {
    if (bundleUnits > 0) {
      LOG.info("Hashed {} units ({} bytes) on this worker", bundleUnits, bundleBytes);
    }
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
