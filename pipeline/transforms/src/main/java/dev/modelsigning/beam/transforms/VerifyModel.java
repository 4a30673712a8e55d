package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.spec.VerifierSpec;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.beam.values.VerifyRequest;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.verify.ComparisonResult;
import java.util.Objects;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Verifies models: each bundle's signature against the policy, then every signed resource against a
 * re-hash of the model spread over all workers. Anything that does not verify fails the job with a
 * {@link VerificationException} naming what differs.
 */
public class VerifyModel extends PTransform<PCollection<VerifyRequest>, PCollection<ModelResult>> {
  private final VerifierSpec verifier;
  private final HashModels hashing;

  private VerifyModel(VerifierSpec verifier, HashModels hashing) {
    this.verifier = verifier;
    this.hashing = hashing;
  }

  public static VerifyModel with(VerifierSpec verifier) {
    return new VerifyModel(verifier, HashModels.failingFast());
  }

  /** Hash with these settings (batch size, buffer) instead of the defaults. */
  public VerifyModel withHashing(HashModels hashing) {
    return new VerifyModel(verifier, hashing);
  }

  @Override
  public PCollection<ModelResult> expand(PCollection<VerifyRequest> requests) {
    return requests
        .apply("CheckSignature", ParDo.of(new ReadSignatureFn(verifier)))
        .setCoder(SerializableCoder.of(ModelRequest.class))
        .apply("Hash", hashing)
        .apply("Compare", ParDo.of(new CompareFn()));
  }

  static class CompareFn extends DoFn<HashedModel, ModelResult> {
    @ProcessElement
    public void process(@Element HashedModel model, OutputReceiver<ModelResult> out) {
      ModelRequest request = model.snapshot().request();
      if (!model.ok()) {
        throw new VerificationException(
            "cannot verify the model: " + String.join("; ", model.errors()));
      }
      ModelRequest.Expectation expected =
          Objects.requireNonNull(request.expected(), "a verifying request has an expectation");
      ComparisonResult match = model.compareWithSignature();
      out.output(
          new ModelResult(
              ModelResult.Action.VERIFIED,
              model.snapshot().model(),
              "sha256:" + expected.manifest().subjectDigestHex(),
              model.snapshot().files().size(),
              model.snapshot().totalBytes(),
              expected.manifest().resources().size(),
              request.signature(),
              expected.signer(),
              match.ignoredUnsignedFiles(),
              expected.notes()));
    }
  }
}
