package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.UnitHasher;
import dev.modelsigning.beam.values.UnitResult;
import dev.modelsigning.beam.values.UnitTask;
import dev.modelsigning.core.ModelSigningException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hashes one unit on a worker with a bounded buffer. With {@code failFast} off, an unreadable unit
 * becomes a failed result for its model instead of failing the job.
 */
class HashUnitFn extends DoFn<KV<String, UnitTask>, KV<String, UnitResult>> {
  private static final Logger LOG = LoggerFactory.getLogger(HashUnitFn.class);
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final boolean failFast;
  private final int bufferSize;
  private final Counter units = Metrics.counter("model", "unitsHashed");
  private final Counter bytes = Metrics.counter("model", "bytesHashed");

  /** Units being hashed at once in this JVM: shows whether a worker's cores are all busy. */
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();

  private final Distribution concurrency = Metrics.distribution("model", "unitsInFlightPerWorker");
  private transient UnitHasher hasher;
  private transient long bytesSinceLog;
  private transient long lastLog;

  HashUnitFn(boolean failFast, int bufferSize) {
    this.failFast = failFast;
    this.bufferSize = bufferSize;
  }

  @Setup
  public void setup() {
    hasher = new UnitHasher(bufferSize);
    lastLog = System.nanoTime();
  }

  @ProcessElement
  public void process(
      @Element KV<String, UnitTask> element, OutputReceiver<KV<String, UnitResult>> out) {
    UnitTask task = element.getValue();
    UnitResult result;
    concurrency.update(IN_FLIGHT.incrementAndGet());
    try {
      result = UnitResult.ok(task.unit(), hasher.hash(task));
    } catch (IOException | ModelSigningException e) {
      String message =
          e instanceof ModelSigningException
              ? e.getMessage()
              : "cannot read '" + task.unit().path() + "': " + e;
      if (failFast) {
        throw new ModelSigningException(message, e);
      }
      result = UnitResult.failed(task.unit(), message);
    } finally {
      IN_FLIGHT.decrementAndGet();
    }
    units.inc();
    bytes.inc(task.unit().length());
    logProgress(task.unit().length());
    out.output(KV.of(element.getKey(), result));
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
