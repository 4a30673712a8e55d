package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Rekor v1 log entry with its inclusion promise (SET) and inclusion proof, as returned by {@code
 * POST /api/v1/log/entries}, and its form in a bundle's {@code tlogEntries}.
 */
public record TransparencyLogEntry(
    long logIndex,
    byte[] logId,
    String kind,
    String kindVersion,
    long integratedTime,
    byte[] signedEntryTimestamp,
    long proofLogIndex,
    byte[] rootHash,
    long treeSize,
    List<byte[]> hashes,
    String checkpoint,
    byte[] canonicalizedBody) {

  public Instant integratedTimeInstant() {
    return Instant.ofEpochSecond(integratedTime);
  }

  /**
   * Reads Rekor's response map {@code {"<uuid>": {body, integratedTime, logID, logIndex,
   * verification}}}.
   */
  static TransparencyLogEntry fromRekorResponse(byte[] responseBody) throws IOException {
    JsonNode root = Json.MAPPER.readTree(responseBody);
    Iterator<Map.Entry<String, JsonNode>> fields = root == null ? null : root.fields();
    if (fields == null || !fields.hasNext()) {
      throw new IOException("response holds no log entry");
    }
    JsonNode entry = fields.next().getValue();
    byte[] body = Base64.getDecoder().decode(require(entry, "body").asText());
    JsonNode decodedBody = Json.MAPPER.readTree(body);
    JsonNode verification = require(entry, "verification");
    JsonNode proof = require(verification, "inclusionProof");
    HexFormat hex = HexFormat.of();
    List<byte[]> hashes = new ArrayList<>();
    for (JsonNode h : require(proof, "hashes")) {
      hashes.add(hex.parseHex(h.asText()));
    }
    return new TransparencyLogEntry(
        require(entry, "logIndex").asLong(),
        hex.parseHex(require(entry, "logID").asText()),
        decodedBody.path("kind").asText(),
        decodedBody.path("apiVersion").asText(),
        require(entry, "integratedTime").asLong(),
        Base64.getDecoder().decode(require(verification, "signedEntryTimestamp").asText()),
        require(proof, "logIndex").asLong(),
        hex.parseHex(require(proof, "rootHash").asText()),
        require(proof, "treeSize").asLong(),
        hashes,
        require(proof, "checkpoint").asText(),
        body);
  }

  private static JsonNode require(JsonNode node, String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IOException("log entry has no '" + field + "'");
    }
    return value;
  }

  /** The entry as a bundle {@code TransparencyLogEntry} (proto3 JSON: int64 as strings). */
  public ObjectNode toBundleJson() {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("logIndex", Long.toString(logIndex));
    node.putObject("logId").put("keyId", b64.encodeToString(logId));
    node.putObject("kindVersion").put("kind", kind).put("version", kindVersion);
    node.put("integratedTime", Long.toString(integratedTime));
    node.putObject("inclusionPromise")
        .put("signedEntryTimestamp", b64.encodeToString(signedEntryTimestamp));
    ObjectNode proof = node.putObject("inclusionProof");
    proof.put("logIndex", Long.toString(proofLogIndex));
    proof.put("rootHash", b64.encodeToString(rootHash));
    proof.put("treeSize", Long.toString(treeSize));
    var array = proof.putArray("hashes");
    hashes.forEach(h -> array.add(b64.encodeToString(h)));
    proof.putObject("checkpoint").put("envelope", checkpoint);
    node.put("canonicalizedBody", b64.encodeToString(canonicalizedBody));
    return node;
  }
}
