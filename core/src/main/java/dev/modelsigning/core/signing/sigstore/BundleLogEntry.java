package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One {@code verificationMaterial.tlogEntries[]} element of a bundle (proto3 JSON: int64 as string
 * or number, bytes as base64), parsed fail-closed. Rekor v1 entries carry an integrated time and an
 * inclusion promise (SET); Rekor v2 entries carry neither.
 */
record BundleLogEntry(
    long logIndex,
    byte[] logId,
    String kind,
    String version,
    long integratedTime,
    Optional<byte[]> signedEntryTimestamp,
    Proof proof,
    byte[] canonicalizedBody,
    JsonNode body) {

  private static final String WHERE = "bundle transparency log entry";

  /** The inclusion proof with its checkpoint. */
  record Proof(
      long logIndex, byte[] rootHash, long treeSize, List<byte[]> hashes, String checkpoint) {}

  /** The kind as {@code kind/version}, e.g. {@code hashedrekord/0.0.2}. */
  String kindVersion() {
    return kind + "/" + version;
  }

  /** Rekor v2 writes only {@code 0.0.2} dsse and hashedrekord entries; everything else is v1. */
  boolean isRekorV2() {
    return "0.0.2".equals(version) && ("dsse".equals(kind) || "hashedrekord".equals(kind));
  }

  static BundleLogEntry parse(JsonNode entry) {
    if (entry == null || !entry.isObject()) {
      throw new VerificationException(WHERE + " must be an object");
    }
    JsonNode kindVersion = object(entry, "kindVersion", WHERE);
    String kind = text(kindVersion, "kind", WHERE + ".kindVersion");
    String version = text(kindVersion, "version", WHERE + ".kindVersion");
    byte[] logId = base64(object(entry, "logId", WHERE), "keyId", WHERE + ".logId");
    byte[] canonicalizedBody = base64(entry, "canonicalizedBody", WHERE);
    JsonNode body = Json.parse(canonicalizedBody, WHERE + ".canonicalizedBody");
    if (!body.isObject()
        || !kind.equals(body.path("kind").asText(null))
        || !version.equals(body.path("apiVersion").asText(null))) {
      throw new VerificationException(
          WHERE
              + ": kindVersion says "
              + kind
              + "/"
              + version
              + " but the logged body is "
              + body.path("kind").asText("?")
              + "/"
              + body.path("apiVersion").asText("?"));
    }

    Optional<byte[]> set = Optional.empty();
    JsonNode promise = entry.get("inclusionPromise");
    if (promise != null && !promise.isNull()) {
      set = Optional.of(base64(promise, "signedEntryTimestamp", WHERE + ".inclusionPromise"));
    }

    JsonNode proofNode = object(entry, "inclusionProof", WHERE);
    List<byte[]> hashes = new ArrayList<>();
    JsonNode hashArray = proofNode.get("hashes");
    if (hashArray != null && !hashArray.isNull()) {
      if (!hashArray.isArray()) {
        throw new VerificationException(WHERE + ".inclusionProof.hashes must be an array");
      }
      for (JsonNode h : hashArray) {
        if (!h.isTextual()) {
          throw new VerificationException(WHERE + ".inclusionProof.hashes must hold strings");
        }
        hashes.add(decode(h.textValue(), WHERE + ".inclusionProof.hashes"));
      }
    }
    String where = WHERE + ".inclusionProof";
    Proof proof =
        new Proof(
            int64(proofNode, "logIndex", where, true),
            base64(proofNode, "rootHash", where),
            int64(proofNode, "treeSize", where, true),
            List.copyOf(hashes),
            text(object(proofNode, "checkpoint", where), "envelope", where + ".checkpoint"));

    return new BundleLogEntry(
        int64(entry, "logIndex", WHERE, true),
        logId,
        kind,
        version,
        int64(entry, "integratedTime", WHERE, false),
        set,
        proof,
        canonicalizedBody,
        body);
  }

  private static JsonNode object(JsonNode parent, String field, String where) {
    JsonNode n = parent.get(field);
    if (n == null || !n.isObject()) {
      throw new VerificationException(where + " has no '" + field + "' object");
    }
    return n;
  }

  private static String text(JsonNode parent, String field, String where) {
    JsonNode n = parent.get(field);
    if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
      throw new VerificationException(where + " has no '" + field + "'");
    }
    return n.textValue();
  }

  private static byte[] base64(JsonNode parent, String field, String where) {
    return decode(text(parent, field, where), where + "." + field);
  }

  private static byte[] decode(String value, String where) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(where + " is not valid base64");
    }
  }

  /** proto3 JSON int64: a decimal string or a number; absent means 0 unless required. */
  private static long int64(JsonNode parent, String field, String where, boolean required) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw new VerificationException(where + " has no '" + field + "'");
      }
      return 0;
    }
    try {
      long value =
          n.isTextual()
              ? Long.parseLong(n.textValue())
              : n.canConvertToExactIntegral() && n.canConvertToLong() ? n.longValue() : -1;
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new VerificationException(where + "." + field + " is not a non-negative integer");
    }
  }
}
