package dev.modelsigning.core.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.Statement;
import dev.modelsigning.core.signing.EcSignatureScheme;
import java.security.PublicKey;

/** Checks a DSSE envelope's signature over the standard PAE with the key's curve hash. */
final class EnvelopeSignatureCheck {
  private EnvelopeSignatureCheck() {}

  /**
   * @param signerKey the key the policy trusts (configured, or a validated leaf's)
   * @param whose names the key in messages, e.g. "the configured public key"
   */
  static void require(DsseEnvelope envelope, PublicKey signerKey, String whose) {
    EcSignatureScheme scheme;
    try {
      scheme = EcSignatureScheme.of(signerKey);
    } catch (InvalidInputException e) {
      throw new VerificationException(whose + " cannot verify model signatures: " + e.getMessage());
    }
    if (scheme.verify(signerKey, envelope.signedBytes(), envelope.signature())) {
      return;
    }
    if (Statement.LEGACY_PREDICATE_TYPE.equals(claimedPredicateType(envelope))) {
      // model_signing v0.2 signed a differently-built PAE with SHA-256 whatever the curve, so its
      // signatures never verify here; say why instead of just "bad signature".
      throw new VerificationException(
          "this signature was made by model_signing v0.2 (predicate '"
              + Statement.LEGACY_PREDICATE_TYPE
              + "' and its non-standard DSSE encoding), which is not supported; re-sign the model"
              + " with model_signing v0.3 or later");
    }
    throw new VerificationException(
        "signature does not verify with "
            + whose
            + " ("
            + scheme.jcaAlgorithm()
            + " over the DSSE envelope): the payload or signature was altered, or another key"
            + " signed it");
  }

  /** The predicateType the (unverified) payload claims; only used to explain a failure. */
  private static String claimedPredicateType(DsseEnvelope envelope) {
    try {
      JsonNode n = Json.parse(envelope.payload(), "payload").get("predicateType");
      return n != null && n.isTextual() ? n.textValue() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
