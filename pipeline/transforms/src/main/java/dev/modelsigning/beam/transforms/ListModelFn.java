package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.ModelLister;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.core.ModelSigningException;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lists one model. With {@code failFast} off, a listing error becomes part of the snapshot. */
class ListModelFn extends DoFn<ModelRequest, ModelSnapshot> {
  private static final Logger LOG = LoggerFactory.getLogger(ListModelFn.class);
  private final boolean failFast;
  private final Counter files = Metrics.counter("model-signing", "filesListed");
  private final Counter bytes = Metrics.counter("model-signing", "bytesListed");

  ListModelFn(boolean failFast) {
    this.failFast = failFast;
  }

  @ProcessElement
  public void process(@Element ModelRequest request, OutputReceiver<ModelSnapshot> out) {
    ModelSnapshot snapshot;
    try {
      snapshot = ModelLister.snapshot(request);
    } catch (ModelSigningException e) {
      if (failFast) {
        throw e;
      }
      out.output(
          ModelSnapshot.failed(
              request,
              Objects.requireNonNull(e.getMessage(), "a ModelSigningException has a message")));
      return;
    }
    files.inc(snapshot.files().size());
    bytes.inc(snapshot.totalBytes());
    LOG.info(
        "Listed {}: {} files, {} bytes",
        snapshot.model(),
        snapshot.files().size(),
        snapshot.totalBytes());
    out.output(snapshot);
  }
}
