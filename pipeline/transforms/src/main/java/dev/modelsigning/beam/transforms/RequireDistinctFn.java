package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.core.InvalidInputException;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Passes on every request whose {@link ModelRequest#joinKey()} no other request has, and fails the
 * job on one that another request repeats: both would be joined as one model, so neither could come
 * back as its own result.
 */
class RequireDistinctFn extends DoFn<ModelRequest, ModelRequest> {
  private final PCollectionView<List<String>> repeatedKeys;

  /**
   * @param repeatedKeys the join keys that more than one request has (normally none)
   */
  RequireDistinctFn(PCollectionView<List<String>> repeatedKeys) {
    this.repeatedKeys = repeatedKeys;
  }

  @ProcessElement
  public void process(
      @Element ModelRequest request, ProcessContext c, OutputReceiver<ModelRequest> out) {
    if (c.sideInput(repeatedKeys).contains(request.joinKey())) {
      throw new InvalidInputException(
          "model '"
              + request.location().root()
              + "' was requested twice with the same settings and signature location;"
              + " request it once");
    }
    out.output(request);
  }
}
