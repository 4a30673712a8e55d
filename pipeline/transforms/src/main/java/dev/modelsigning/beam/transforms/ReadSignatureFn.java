package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.SignatureStore;
import dev.modelsigning.beam.spec.VerifierSpec;
import dev.modelsigning.beam.spec.Verifiers;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.VerifyRequest;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.format.StatementFormat;
import dev.modelsigning.core.verify.VerificationPlan;
import dev.modelsigning.core.verify.VerifiedSignature;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Reads a model's bundle, checks its signature against the policy, and turns the signed statement
 * into the request that re-hashes the model exactly as the signer did.
 */
class ReadSignatureFn extends DoFn<VerifyRequest, ModelRequest> {
  /** What verification says of a model_signing v0.2 signature (still valid, but legacy). */
  static final String LEGACY_NOTE =
      "the signature uses model_signing v0.2's legacy format (per-file subjects, no model name);"
          + " re-sign the model to get a current signature";

  private final VerifierSpec verifier;

  ReadSignatureFn(VerifierSpec verifier) {
    this.verifier = verifier;
  }

  @ProcessElement
  public void process(@Element VerifyRequest request, OutputReceiver<ModelRequest> out) {
    out.output(toModelRequest(request, verifier));
  }

  static ModelRequest toModelRequest(VerifyRequest request, VerifierSpec verifier) {
    byte[] bundle = SignatureStore.read(request.signature());
    VerifiedSignature verified = Verifiers.of(verifier).verify(BundleReader.read(bundle));
    SignedStatement signed = verified.readStatement();
    VerificationPlan plan =
        VerificationPlan.of(
            signed,
            request.location().relativize(request.signature()),
            request.userIgnorePaths(),
            request.unsignedFiles());
    List<String> notes = new ArrayList<>(verified.notes());
    if (signed.format() == StatementFormat.LEGACY_V0_2) {
      notes.add(LEGACY_NOTE);
    }
    return new ModelRequest(
        request.location(),
        plan.settings(),
        plan.listingPolicy().ignorePaths().sorted(),
        request.signature(),
        new ModelRequest.Expectation(
            signed.manifest(),
            verified.signer(),
            request.unsignedFiles(),
            notes,
            verified.signedAt(),
            verified.logIndex(),
            null,
            null));
  }
}
