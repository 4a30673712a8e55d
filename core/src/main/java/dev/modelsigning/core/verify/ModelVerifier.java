package dev.modelsigning.core.verify;

import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.model.ModelFile;
import dev.modelsigning.core.model.ResourceNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a model on local disk against its signature bundle, in this process: the signature first
 * (against the caller's policy), then the statement read from the verified bytes, then the model
 * re-hashed the way the signer recorded, on one thread per core ({@link LocalModelHasher}), and
 * compared. The Beam pipeline runs the same steps with the hashing spread over its workers.
 */
public final class ModelVerifier {
  private ModelVerifier() {}

  /**
   * Verifies with unsigned files refused (the default).
   *
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
      @Nullable String signatureInModel,
      List<String> userIgnorePaths) {
    return verify(
        model, bundleJson, policy, signatureInModel, userIgnorePaths, UnsignedFiles.REFUSE);
  }

  /**
   * @param signatureInModel the bundle's path relative to the model root when it lies inside the
   *     model (so it is not hashed), else null
   * @param userIgnorePaths extra paths to skip, relative to the model root
   * @param unsignedFiles whether files the signature does not list fail verification or are set
   *     aside unread and reported in {@link VerificationResult#ignoredUnsignedFiles()}
   * @throws dev.modelsigning.core.VerificationException when anything does not verify, including a
   *     model holding a symlink, FIFO or device the signer's rules refuse
   */
  public static VerificationResult verify(
      Path model,
      byte[] bundleJson,
      SignatureVerifier policy,
      @Nullable String signatureInModel,
      List<String> userIgnorePaths,
      UnsignedFiles unsignedFiles) {
    VerifiedSignature signature = policy.verify(BundleReader.read(bundleJson));
    SignedStatement statement = signature.readStatement();
    VerificationPlan plan =
        VerificationPlan.of(statement, signatureInModel, userIgnorePaths, unsignedFiles);
    // Listed once: the files hashed are the files counted. Each is checked against its listed size
    // as it is read; a file added after the listing is not part of this verification.
    ModelSelection selection = VerifiedModelListing.select(model, plan);
    Manifest actual =
        VerifiedModelListing.asVerificationFailure(
            model, () -> LocalModelHasher.hashFiles(model, plan.settings(), selection.files()));
    ComparisonResult match =
        ManifestComparison.compare(statement.manifest(), actual, unsignedFiles);
    Set<String> ignored = new TreeSet<>(ResourceNames.PATH_ORDER);
    ignored.addAll(selection.unsignedFiles());
    ignored.addAll(match.ignoredUnsignedFiles());
    long bytes = 0;
    for (ModelFile f : selection.files()) {
      bytes += f.size();
    }
    return new VerificationResult(
        signature.signer(),
        statement.subjectName(),
        statement.subjectDigestHex(),
        selection.files().size(),
        bytes,
        new ArrayList<>(ignored),
        statement.format(),
        signature.notes());
  }
}
