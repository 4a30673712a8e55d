package dev.modelsigning.core.verify;

import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.model.ModelFile;
import java.nio.file.Path;
import java.util.List;

/**
 * Verifies a model on local disk against its signature bundle in one thread: the signature first
 * (against the caller's policy), then the statement read from the verified bytes, then the model
 * re-hashed the way the signer recorded and compared. The Beam pipeline runs the same steps with
 * the hashing fanned out.
 */
public final class ModelVerifier {
  private ModelVerifier() {}

  /**
   * @param signatureInModel the bundle's path relative to the model root when it lies inside the
   *     model (so it is not hashed), else null
   * @param userIgnorePaths extra paths to skip, relative to the model root
   * @throws dev.modelsigning.core.VerificationException when anything does not verify, including a
   *     model holding a symlink, FIFO or device the signer's rules refuse
   */
  public static VerificationResult verify(
      Path model,
      byte[] bundleJson,
      SignatureVerifier policy,
      String signatureInModel,
      List<String> userIgnorePaths) {
    VerifiedSignature signature = policy.verify(BundleReader.read(bundleJson));
    SignedStatement statement = StatementReader.read(signature.statement());
    VerificationPlan plan = VerificationPlan.of(statement, signatureInModel, userIgnorePaths);
    // Listed once for the counts; the hasher lists again. A file changing in between makes the
    // comparison (which is what matters) fail or the counts drift, never a false success.
    List<ModelFile> files = VerifiedModelListing.list(model, plan.listingPolicy());
    Manifest actual =
        VerifiedModelListing.asVerificationFailure(
            model, () -> LocalModelHasher.hash(model, plan.settings(), plan.listingPolicy()));
    ManifestComparison.requireMatch(statement.manifest(), actual);
    long bytes = 0;
    for (ModelFile f : files) {
      bytes += f.size();
    }
    return new VerificationResult(
        signature.signer(),
        statement.subjectName(),
        statement.subjectDigestHex(),
        files.size(),
        bytes);
  }
}
