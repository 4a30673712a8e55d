package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.HashBatch;
import dev.modelsigning.beam.values.HashedBatch;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/** Hashes one batch of a model that was split over several batches (see {@link BatchHasher}). */
class HashBatchFn extends DoFn<KV<String, HashBatch>, KV<String, HashedBatch>> {
  private final BatchHasher hasher;

  HashBatchFn(boolean failFast, int bufferSize) {
    this.hasher = new BatchHasher(failFast, bufferSize);
  }

  @Setup
  public void setup() {
    hasher.setup();
  }

  @ProcessElement
  public void process(
      @Element KV<String, HashBatch> element, OutputReceiver<KV<String, HashedBatch>> out) {
    out.output(KV.of(element.getKey(), hasher.hash(element.getValue())));
  }

  @FinishBundle
  public void finishBundle() {
    hasher.finishBundle();
  }
}
