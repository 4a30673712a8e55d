package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.signing.Certificates;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** Assembles a Sigstore bundle v0.3 (compact JSON, fixed key order) for a keyless signature. */
final class KeylessBundle {
  static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  private KeylessBundle() {}

  /** The DSSE envelope; the same string is sent to Rekor, which hashes it. */
  static ObjectNode envelope(byte[] payload, String payloadType, byte[] signature) {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode envelope = Json.MAPPER.createObjectNode();
    envelope.put("payload", b64.encodeToString(payload));
    envelope.put("payloadType", payloadType);
    envelope
        .putArray("signatures")
        .addObject()
        .put("sig", b64.encodeToString(signature))
        .put("keyid", "");
    return envelope;
  }

  static String compact(ObjectNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @param tlogEntry the log entry in bundle form (Rekor v1: {@link
   *     TransparencyLogEntry#toBundleJson()}; Rekor v2: the log's reply as it is)
   */
  static byte[] assemble(
      X509Certificate leaf,
      ObjectNode tlogEntry,
      List<byte[]> rfc3161Timestamps,
      ObjectNode envelope) {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode bundle = Json.MAPPER.createObjectNode();
    bundle.put("mediaType", MEDIA_TYPE);
    ObjectNode material = bundle.putObject("verificationMaterial");
    material.putObject("certificate").put("rawBytes", b64.encodeToString(Certificates.der(leaf)));
    material.putArray("tlogEntries").add(tlogEntry);
    if (!rfc3161Timestamps.isEmpty()) {
      ArrayNode timestamps =
          material.putObject("timestampVerificationData").putArray("rfc3161Timestamps");
      rfc3161Timestamps.forEach(
          t -> timestamps.addObject().put("signedTimestamp", b64.encodeToString(t)));
    }
    bundle.set("dsseEnvelope", envelope);
    return compact(bundle).getBytes(StandardCharsets.UTF_8);
  }
}
