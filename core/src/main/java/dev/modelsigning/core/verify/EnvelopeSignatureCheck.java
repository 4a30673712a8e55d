package dev.modelsigning.core.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.format.DsseEncoding;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.Statement;
import dev.modelsigning.core.signing.EcSignatureScheme;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import org.jspecify.annotations.Nullable;

/**
 * Checks a DSSE envelope's signature: over the standard PAE with the key's curve hash, or, for
 * model_signing v0.2's statement only, over v0.2's legacy encoding with SHA-256.
 *
 * <p>Why a v0.2 signature can never pass for a current one: (1) the legacy encoding is tried only
 * when the payload itself declares v0.2's predicate, and the signature covers exactly those bytes,
 * so a signature that verifies this way always carries v0.2's predicate; {@link
 * dev.modelsigning.core.format.StatementReader} refuses the legacy encoding for any other. (2) The
 * two encodings never produce the same bytes ({@code DSSEV1} vs {@code DSSEv1}), so a signature
 * over one is never valid over the other, even where the hashes coincide (P-256). (3) A v0.2
 * statement is read with v0.2's implied settings and reported as {@link
 * dev.modelsigning.core.format.StatementFormat#LEGACY_V0_2}, so callers can say so.
 */
final class EnvelopeSignatureCheck {
  /** model_signing v0.2 hashed with SHA-256 whatever the curve. */
  private static final String LEGACY_ALGORITHM = "SHA256withECDSA";

  private EnvelopeSignatureCheck() {}

  /**
   * @param signerKey the key the policy trusts (configured, or a validated leaf's)
   * @param whose names the key in messages, e.g. "the configured public key"
   * @return which encoding the signature covers
   */
  static DsseEncoding require(DsseEnvelope envelope, PublicKey signerKey, String whose) {
    EcSignatureScheme scheme;
    try {
      scheme = EcSignatureScheme.of(signerKey);
    } catch (InvalidInputException e) {
      throw new VerificationException(whose + " cannot verify model signatures: " + e.getMessage());
    }
    if (scheme.verify(signerKey, envelope.signedBytes(), envelope.signature())) {
      return DsseEncoding.STANDARD;
    }
    if (!Statement.LEGACY_PREDICATE_TYPE.equals(claimedPredicateType(envelope))) {
      throw new VerificationException(
          "signature does not verify with "
              + whose
              + " ("
              + scheme.jcaAlgorithm()
              + " over the DSSE envelope): the payload or signature was altered, or another key"
              + " signed it");
    }
    byte[] legacy = Dsse.legacyV02Pae(envelope.payloadType(), envelope.payload());
    if (verifyLegacy(signerKey, legacy, envelope.signature())) {
      return DsseEncoding.LEGACY_V0_2;
    }
    throw new VerificationException(
        "signature of this model_signing v0.2 statement does not verify with "
            + whose
            + ", neither over the DSSE envelope ("
            + scheme.jcaAlgorithm()
            + ") nor over v0.2's legacy encoding ("
            + LEGACY_ALGORITHM
            + "): the payload or signature was altered, or another key signed it");
  }

  private static boolean verifyLegacy(PublicKey key, byte[] data, byte[] derSignature) {
    try {
      Signature s = Signature.getInstance(LEGACY_ALGORITHM);
      s.initVerify(key);
      s.update(data);
      return s.verify(derSignature);
    } catch (SignatureException | InvalidKeyException e) {
      return false; // malformed signature or unusable key: simply not a valid signature
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(LEGACY_ALGORITHM + " is not available: " + e.getMessage(), e);
    }
  }

  /**
   * The predicateType the (not yet verified) payload declares, or null. It only selects which
   * encoding to try; the statement is read later from the same, then verified, bytes.
   */
  private static @Nullable String claimedPredicateType(DsseEnvelope envelope) {
    try {
      JsonNode n = Json.parse(envelope.payload(), "payload").get("predicateType");
      return n != null && n.isTextual() ? n.textValue() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
