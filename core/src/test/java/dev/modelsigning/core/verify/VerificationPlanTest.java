package dev.modelsigning.core.verify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationPlanTest {
  private static SignedStatement signedWithIgnores(List<String> ignores) {
    Manifest m =
        new Manifest(
            "model",
            SerializationSettings.files(HashAlgorithm.SHA256, false, ignores),
            List.of(new ResourceDigest("a", "sha256", new byte[32])));
    return new SignedStatement(m, m.subjectDigestHex());
  }

  @Test
  void recordedIgnorePathsAndTheSignatureAreLeftOut() {
    VerificationPlan plan =
        VerificationPlan.of(signedWithIgnores(List.of(".git", "notes")), "model.sig", List.of());
    assertTrue(plan.listingPolicy().ignorePaths().ignores("notes/x.txt"));
    assertTrue(plan.listingPolicy().ignorePaths().ignores("model.sig"));
    assertFalse(plan.listingPolicy().ignorePaths().ignores("weights.bin"));
  }

  @Test
  void unsafeRecordedIgnorePathIsTheBundlesFault() {
    var e =
        assertThrows(
            VerificationException.class,
            () -> VerificationPlan.of(signedWithIgnores(List.of("../etc")), null, List.of()));
    assertTrue(e.getMessage().contains("signed statement"), e.getMessage());
  }
}
