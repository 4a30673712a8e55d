package dev.modelsigning.beam.transforms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.beam.io.JobResult;
import dev.modelsigning.beam.spec.VerifierFactory;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.VerifyRequest;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.verify.ManifestComparison;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Verifies one model: the bundle's signature against the policy, then every signed resource against
 * a re-hash of the model spread over all workers.
 */
public class VerifyModel extends PTransform<PBegin, PCollection<String>> {
  private final VerifyRequest request;
  private final VerifierFactory verifier;
  private final String resultFile;

  public VerifyModel(VerifyRequest request, VerifierFactory verifier, String resultFile) {
    this.request = request;
    this.verifier = verifier;
    this.resultFile = resultFile;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    return begin
        .apply("Model", Create.of(request).withCoder(SerializableCoder.of(VerifyRequest.class)))
        .apply("CheckSignature", ParDo.of(new ReadSignatureFn(verifier)))
        .setCoder(SerializableCoder.of(ModelRequest.class))
        .apply("Hash", HashModels.failingFast())
        .apply("Compare", ParDo.of(new CompareFn(resultFile)));
  }

  static class CompareFn extends DoFn<HashedModel, String> {
    private final String resultFile;

    CompareFn(String resultFile) {
      this.resultFile = resultFile;
    }

    @ProcessElement
    public void process(@Element HashedModel model, OutputReceiver<String> out) {
      ModelRequest.Expectation expected = model.snapshot().request().expected();
      if (!model.ok()) {
        throw new VerificationException(
            "cannot verify the model: " + String.join("; ", model.errors()));
      }
      ManifestComparison.requireMatch(expected.manifest(), model.manifest());
      ObjectNode result = JobResult.newResult();
      result.put("model", model.snapshot().key());
      result.put("status", "verified");
      result.put("signer", expected.signer());
      result.put("subjectDigest", "sha256:" + expected.manifest().subjectDigestHex());
      result.put("files", model.snapshot().files().size());
      result.put("bytes", model.snapshot().totalBytes());
      result.put("signature", expected.signature());
      JobResult.write(resultFile, result);
      out.output(model.snapshot().key());
    }
  }
}
