package dev.modelsigning.beam.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class SignatureStoreTest {
  private static final String UUID_TEXT = UUID.randomUUID().toString();

  @Test
  void recognisesOnlyItsOwnTempFilesBesideTheSignature() {
    assertTrue(SignatureStore.isTempFileOf("model.sig", ".model.sig.tmp-" + UUID_TEXT));
    assertTrue(SignatureStore.isTempFileOf("sigs/m.sig", "sigs/.m.sig.tmp-" + UUID_TEXT));

    // Another directory, another signature name, or not our UUID suffix: model content.
    assertFalse(SignatureStore.isTempFileOf("model.sig", "sub/.model.sig.tmp-" + UUID_TEXT));
    assertFalse(SignatureStore.isTempFileOf("sigs/m.sig", ".m.sig.tmp-" + UUID_TEXT));
    assertFalse(SignatureStore.isTempFileOf("model.sig", ".other.sig.tmp-" + UUID_TEXT));
    assertFalse(SignatureStore.isTempFileOf("model.sig", ".model.sig.tmp-1234"));
    assertFalse(SignatureStore.isTempFileOf("model.sig", ".model.sig.tmp-" + UUID_TEXT + "x"));
    assertFalse(SignatureStore.isTempFileOf("model.sig", "model.sig"));
  }
}
