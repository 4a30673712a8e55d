package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.spec.SignerFactory;
import dev.modelsigning.beam.values.ModelRequest;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** Hashes one model across all workers, then signs its manifest once and writes the bundle. */
public class SignModel extends PTransform<PBegin, PCollection<String>> {
  private final ModelRequest request;
  private final SignerFactory signer;
  private final String signature;
  private final boolean overwrite;
  private final String resultFile;

  public SignModel(
      ModelRequest request,
      SignerFactory signer,
      String signature,
      boolean overwrite,
      String resultFile) {
    this.request = request;
    this.signer = signer;
    this.signature = signature;
    this.overwrite = overwrite;
    this.resultFile = resultFile;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    return begin
        .apply("Model", Create.of(request).withCoder(SerializableCoder.of(ModelRequest.class)))
        .apply("Hash", HashModels.failingFast())
        .apply("Sign", ParDo.of(new SignModelFn(signer, signature, overwrite, resultFile)));
  }
}
