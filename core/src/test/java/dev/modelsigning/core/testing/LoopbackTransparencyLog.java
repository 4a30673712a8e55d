package dev.modelsigning.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Rekor-v1-like log for {@code dsse} v0.0.1 and {@code intoto} v0.0.2 entries. Like Rekor it
 * verifies the envelope against the given verifiers and stores the CANONICAL entry (for dsse:
 * envelope hash, payload hash, signatures with their verifiers; for intoto: the envelope without
 * its payload, the client's envelope hash and the payload hash; JCS) — not the proposed entry. Each
 * entry gets a SET over {@code {body, integratedTime, logID, logIndex}}, an RFC 6962 inclusion
 * proof and a signed checkpoint whose signer name is the log's host without port, as sigstore-java
 * expects.
 */
final class LoopbackTransparencyLog {
  final KeyPair key = TestKeys.p256();
  final long treeId = 1_000_000L + (long) (Math.random() * 1_000_000);
  private final MerkleTree tree = new MerkleTree();
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Instant integratedTimeOverride;
  private final String host = "127.0.0.1";

  private record Entry(byte[] body, long integratedTime, int index) {}

  LoopbackTransparencyLog(Instant integratedTimeOverride) {
    this.integratedTimeOverride = integratedTimeOverride;
  }

  byte[] logId() {
    return MerkleTree.sha256(key.getPublic().getEncoded());
  }

  synchronized int size() {
    return tree.size();
  }

  void handle(HttpExchange exchange) throws Exception {
    String path = exchange.getRequestURI().getPath();
    if ("POST".equals(exchange.getRequestMethod()) && path.equals("/api/v1/log/entries")) {
      create(exchange);
    } else if ("GET".equals(exchange.getRequestMethod())
        && path.startsWith("/api/v1/log/entries/")) {
      String uuid = path.substring("/api/v1/log/entries/".length());
      Entry entry;
      synchronized (this) {
        entry = entries.get(uuid);
      }
      if (entry == null) {
        Http.error(exchange, 404, "no entry " + uuid);
      } else {
        Http.reply(exchange, 200, "application/json", response(uuid, entry).toString());
      }
    } else {
      Http.error(exchange, 404, "not found");
    }
  }

  private void create(HttpExchange exchange) throws Exception {
    JsonNode proposed = Http.JSON.readTree(exchange.getRequestBody());
    String kind = proposed.path("kind").asText() + "/" + proposed.path("apiVersion").asText();
    byte[] canonicalBody =
        switch (kind) {
          case "dsse/0.0.1" -> dsseBody(exchange, proposed);
          case "intoto/0.0.2" -> intotoBody(exchange, proposed);
          default -> {
            Http.error(exchange, 400, "only dsse 0.0.1 and intoto 0.0.2 entries are accepted here");
            yield null;
          }
        };
    if (canonicalBody != null) {
      append(exchange, canonicalBody);
    }
  }

  /** The canonical dsse 0.0.1 body, or null after answering with an error. */
  private byte[] dsseBody(HttpExchange exchange, JsonNode proposed) throws Exception {
    JsonNode content = proposed.path("spec").path("proposedContent");
    String envelopeText = content.path("envelope").asText("");
    JsonNode envelope = Http.JSON.readTree(envelopeText);
    byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText(""));
    String payloadType = envelope.path("payloadType").asText("");
    byte[] pae = pae(payloadType, payload);

    List<X509Certificate> verifiers = new ArrayList<>();
    for (JsonNode verifier : content.path("verifiers")) {
      verifiers.add(
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(Base64.getDecoder().decode(verifier.asText()))));
    }
    // signature -> canonical verifier (PEM, base64), sorted by signature like Rekor
    TreeMap<String, String> signatures = new TreeMap<>();
    for (JsonNode signature : envelope.path("signatures")) {
      String sig = signature.path("sig").asText("");
      X509Certificate match = null;
      for (X509Certificate cert : verifiers) {
        if (verifies(cert.getPublicKey(), pae, Base64.getDecoder().decode(sig))) {
          match = cert;
        }
      }
      if (match == null) {
        Http.error(exchange, 400, "could not verify envelope: signature does not verify");
        return null;
      }
      signatures.put(
          sig,
          Base64.getEncoder()
              .encodeToString(
                  LoopbackCertificateAuthority.pem(match).getBytes(StandardCharsets.US_ASCII)));
    }
    if (signatures.isEmpty()) {
      Http.error(exchange, 400, "envelope has no signatures");
      return null;
    }

    HexFormat hex = HexFormat.of();
    ObjectNode body = Http.JSON.createObjectNode();
    body.put("apiVersion", "0.0.1");
    body.put("kind", "dsse");
    ObjectNode spec = body.putObject("spec");
    spec.putObject("envelopeHash")
        .put("algorithm", "sha256")
        .put(
            "value",
            hex.formatHex(MerkleTree.sha256(envelopeText.getBytes(StandardCharsets.UTF_8))));
    spec.putObject("payloadHash")
        .put("algorithm", "sha256")
        .put("value", hex.formatHex(MerkleTree.sha256(payload)));
    var sigs = spec.putArray("signatures");
    signatures.forEach(
        (sig, verifier) -> sigs.addObject().put("signature", sig).put("verifier", verifier));
    return CanonicalJson.encode(body);
  }

  /**
   * The canonical intoto 0.0.2 body, or null after answering with an error. As Rekor expects, the
   * proposal double-base64-encodes payload and signatures and carries the signer as base64 PEM; the
   * canonical body drops the payload, keeps the client's envelope hash and adds the payload hash.
   */
  private byte[] intotoBody(HttpExchange exchange, JsonNode proposed) throws Exception {
    JsonNode content = proposed.path("spec").path("content");
    JsonNode envelope = content.path("envelope");
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] payload =
        b64.decode(
            new String(b64.decode(envelope.path("payload").asText("")), StandardCharsets.US_ASCII));
    String payloadType = envelope.path("payloadType").asText("");
    JsonNode hash = content.path("hash");
    if (!"sha256".equals(hash.path("algorithm").asText())
        || !hash.path("value").asText("").matches("[0-9a-f]{64}")) {
      Http.error(exchange, 400, "missing envelope digest");
      return null;
    }
    byte[] pae = pae(payloadType, payload);
    var signatures = Http.JSON.createArrayNode();
    for (JsonNode signature : envelope.path("signatures")) {
      String pem =
          new String(b64.decode(signature.path("publicKey").asText("")), StandardCharsets.US_ASCII);
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      byte[] sig =
          b64.decode(
              new String(b64.decode(signature.path("sig").asText("")), StandardCharsets.US_ASCII));
      if (!verifies(cert.getPublicKey(), pae, sig)) {
        Http.error(exchange, 400, "could not verify envelope: signature does not verify");
        return null;
      }
      ObjectNode canonical = signatures.addObject();
      if (!signature.path("keyid").asText("").isEmpty()) {
        canonical.put("keyid", signature.path("keyid").asText());
      }
      canonical.put(
          "publicKey",
          Base64.getEncoder()
              .encodeToString(
                  LoopbackCertificateAuthority.pem(cert).getBytes(StandardCharsets.US_ASCII)));
      canonical.put("sig", signature.path("sig").asText());
    }
    if (signatures.isEmpty()) {
      Http.error(exchange, 400, "missing signatures");
      return null;
    }
    ObjectNode body = Http.JSON.createObjectNode();
    body.put("apiVersion", "0.0.2");
    body.put("kind", "intoto");
    ObjectNode canonicalContent = body.putObject("spec").putObject("content");
    ObjectNode canonicalEnvelope = canonicalContent.putObject("envelope");
    canonicalEnvelope.put("payloadType", payloadType);
    canonicalEnvelope.set("signatures", signatures);
    canonicalContent.set("hash", hash);
    canonicalContent
        .putObject("payloadHash")
        .put("algorithm", "sha256")
        .put("value", HexFormat.of().formatHex(MerkleTree.sha256(payload)));
    return CanonicalJson.encode(body);
  }

  private void append(HttpExchange exchange, byte[] canonicalBody) throws Exception {
    HexFormat hex = HexFormat.of();
    String uuid = hex.formatHex(MerkleTree.leafHash(canonicalBody));
    Entry entry;
    synchronized (this) {
      if (entries.containsKey(uuid)) {
        exchange.getResponseHeaders().set("Location", "/api/v1/log/entries/" + uuid);
        Http.error(exchange, 409, "An equivalent entry already exists in the transparency log");
        return;
      }
      long time =
          integratedTimeOverride != null
              ? integratedTimeOverride.getEpochSecond()
              : Instant.now().getEpochSecond();
      int index = tree.append(canonicalBody);
      entry = new Entry(canonicalBody, time, index);
      entries.put(uuid, entry);
    }
    exchange.getResponseHeaders().set("Location", "/api/v1/log/entries/" + uuid);
    Http.reply(exchange, 201, "application/json", response(uuid, entry).toString());
  }

  private synchronized ObjectNode response(String uuid, Entry entry) {
    HexFormat hex = HexFormat.of();
    Base64.Encoder b64 = Base64.getEncoder();
    int treeSize = tree.size();
    byte[] root = tree.rootHash(treeSize);

    ObjectNode signable = Http.JSON.createObjectNode();
    signable.put("body", b64.encodeToString(entry.body()));
    signable.put("integratedTime", entry.integratedTime());
    signable.put("logID", hex.formatHex(logId()));
    signable.put("logIndex", entry.index());
    byte[] set = TestKeys.sign(key.getPrivate(), CanonicalJson.encode(signable));

    ObjectNode value = Http.JSON.createObjectNode();
    value.put("body", b64.encodeToString(entry.body()));
    value.put("integratedTime", entry.integratedTime());
    value.put("logID", hex.formatHex(logId()));
    value.put("logIndex", entry.index());
    ObjectNode verification = value.putObject("verification");
    ObjectNode proof = verification.putObject("inclusionProof");
    proof.put("checkpoint", checkpoint(treeSize, root));
    var hashes = proof.putArray("hashes");
    tree.inclusionProof(entry.index(), treeSize).forEach(h -> hashes.add(hex.formatHex(h)));
    proof.put("logIndex", entry.index());
    proof.put("rootHash", hex.formatHex(root));
    proof.put("treeSize", treeSize);
    verification.put("signedEntryTimestamp", b64.encodeToString(set));

    ObjectNode response = Http.JSON.createObjectNode();
    response.set(uuid, value);
    return response;
  }

  /** A signed note: origin, size, root hash; then "— name base64(keyHint || signature)". */
  private String checkpoint(int treeSize, byte[] root) {
    String text =
        host
            + " - "
            + treeId
            + "\n"
            + treeSize
            + "\n"
            + Base64.getEncoder().encodeToString(root)
            + "\n";
    byte[] signature = TestKeys.sign(key.getPrivate(), text.getBytes(StandardCharsets.UTF_8));
    byte[] hinted = new byte[4 + signature.length];
    System.arraycopy(logId(), 0, hinted, 0, 4);
    System.arraycopy(signature, 0, hinted, 4, signature.length);
    return text + "\n\u2014 " + host + " " + Base64.getEncoder().encodeToString(hinted) + "\n";
  }

  static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    var out = new java.io.ByteArrayOutputStream();
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (Exception e) {
      return false;
    }
  }
}
