package dev.modelsigning.core.verify;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How to recompute a model's manifest so it can be compared with a signed one: the signer's
 * recorded serialization, and its recorded ignore paths (or, for signers before model_signing v1.1
 * that recorded none, the defaults), plus whatever the verifying user adds.
 */
public record VerificationPlan(SerializationSettings settings, ListingPolicy listingPolicy) {

  /**
   * @param signatureInModel the signature's path relative to the model root, or null
   * @param userIgnorePaths extra paths to ignore, relative to the model root
   */
  public static VerificationPlan of(
      SignedStatement signed, String signatureInModel, Collection<String> userIgnorePaths) {
    SerializationSettings s = signed.manifest().settings();
    IgnorePaths ignore;
    if (s.ignorePaths() == null) {
      ignore = IgnorePaths.of(signatureInModel, userIgnorePaths);
    } else {
      List<String> all = new ArrayList<>(s.ignorePaths());
      all.addAll(userIgnorePaths);
      if (signatureInModel != null) {
        all.add(signatureInModel);
      }
      try {
        ignore = IgnorePaths.exactly(all);
      } catch (InvalidInputException e) {
        // A path like ../x in a signed statement is the bundle's fault, not the user's.
        throw new VerificationException("signed statement: " + e.getMessage(), e);
      }
    }
    return new VerificationPlan(s, new ListingPolicy(ignore, s.allowSymlinks()));
  }
}
