package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.manifest.Manifest;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Hashes models and reports each one's {@code sha256:<subject digest>}, like model_signing digest.
 */
public class DigestModel extends PTransform<PCollection<ModelRequest>, PCollection<ModelResult>> {
  private final HashModels hashing;

  private DigestModel(HashModels hashing) {
    this.hashing = hashing;
  }

  public static DigestModel create() {
    return new DigestModel(HashModels.failingFast());
  }

  /** Hash with these settings (batch size, buffer) instead of the defaults. */
  public DigestModel withHashing(HashModels hashing) {
    return new DigestModel(hashing);
  }

  @Override
  public PCollection<ModelResult> expand(PCollection<ModelRequest> requests) {
    return requests.apply("Hash", hashing).apply("Report", ParDo.of(new ReportDigestFn()));
  }

  static class ReportDigestFn extends DoFn<HashedModel, ModelResult> {
    @ProcessElement
    public void process(@Element HashedModel model, OutputReceiver<ModelResult> out) {
      if (!model.ok()) {
        throw new ModelSigningException(String.join("; ", model.errors()));
      }
      Manifest manifest = Objects.requireNonNull(model.manifest(), "an ok() model has a manifest");
      out.output(
          new ModelResult(
              ModelResult.Action.DIGESTED,
              model.snapshot().model(),
              "sha256:" + manifest.subjectDigestHex(),
              model.snapshot().files().size(),
              model.snapshot().totalBytes(),
              manifest.resources().size(),
              null,
              null,
              List.of(),
              List.of()));
    }
  }
}
