package dev.modelsigning.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Rekor v2 log (rekor-tiles' write API, {@code POST /api/v2/log/entries}) on loopback. Like
 * rekor-tiles it validates the {@code CreateEntryRequest}, verifies the signature against the given
 * certificate, stores the canonical (RFC 8785) {@code Entry} as the leaf, and answers with a {@code
 * TransparencyLogEntry}: no integrated time, no inclusion promise, an inclusion proof up to a
 * freshly signed C2SP checkpoint. Its origin is its scheme-less URL; its log id is the C2SP
 * checkpoint key id (Ed25519 by default, as public-good Rekor v2 uses; ECDSA P-256 on request).
 *
 * <p>It accepts {@code hashedRekordRequestV002} (what Rekor v2 takes today, DSSE envelopes included
 * as the hash of their PAE) and {@code dsseRequestV002} (what it took before mid 2026).
 */
final class LoopbackRekorV2 {
  /** The checkpoint signing key type. */
  enum KeyType {
    ED25519,
    ECDSA_P256
  }

  final KeyPair key;
  private final KeyType keyType;
  private final MerkleTree tree = new MerkleTree();
  private final Set<String> leaves = new HashSet<>();
  private String origin;

  LoopbackRekorV2(KeyType keyType) {
    this.keyType = keyType;
    this.key = keyType == KeyType.ED25519 ? ed25519() : TestKeys.p256();
  }

  /** Set once the server has its port: the origin is {@code 127.0.0.1:<port>}. */
  synchronized void origin(String origin) {
    this.origin = origin;
  }

  synchronized String origin() {
    return origin;
  }

  String keyDetails() {
    return keyType == KeyType.ED25519 ? "PKIX_ED25519" : "PKIX_ECDSA_P256_SHA_256";
  }

  /**
   * The C2SP checkpoint key id, which Rekor v2 also uses as its log id: Ed25519 SHA-256(origin ||
   * '\n' || 0x01 || raw key); ECDSA SHA-256(SPKI) (rekor-tiles' rule for ECDSA).
   */
  synchronized byte[] logId() {
    byte[] spki = key.getPublic().getEncoded();
    if (keyType == KeyType.ECDSA_P256) {
      return MerkleTree.sha256(spki);
    }
    return MerkleTree.sha256(
        (origin + "\n").getBytes(StandardCharsets.UTF_8),
        new byte[] {1},
        Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }

  synchronized int size() {
    return tree.size();
  }

  void handle(HttpExchange exchange) throws Exception {
    if (!"POST".equals(exchange.getRequestMethod())
        || !exchange.getRequestURI().getPath().equals("/api/v2/log/entries")) {
      Http.error(exchange, 404, "not found");
      return;
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.startsWith("application/json")) {
      Http.error(exchange, 415, "expected application/json");
      return;
    }
    JsonNode request = Http.JSON.readTree(exchange.getRequestBody());
    ObjectNode entry;
    try {
      entry = toEntry(request);
    } catch (Refused e) {
      Http.error(exchange, 400, e.getMessage());
      return;
    }
    byte[] canonical = CanonicalJson.encode(entry);
    ObjectNode response;
    synchronized (this) {
      String leaf = Base64.getEncoder().encodeToString(MerkleTree.leafHash(canonical));
      if (!leaves.add(leaf)) {
        Http.error(exchange, 409, "an equivalent entry already exists in the log");
        return;
      }
      int index = tree.append(canonical);
      response = response(index, entry, canonical);
    }
    Http.reply(exchange, 201, "application/json", response.toString());
  }

  private static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private ObjectNode toEntry(JsonNode request) throws Refused {
    if (!request.isObject() || request.size() != 1) {
      throw new Refused("invalid request: exactly one of hashedRekordRequestV002, dsseRequestV002");
    }
    if (request.has("hashedRekordRequestV002")) {
      return hashedRekord(request.get("hashedRekordRequestV002"));
    }
    if (request.has("dsseRequestV002")) {
      return dsse(request.get("dsseRequestV002"));
    }
    throw new Refused("invalid type, must be hashedrekord or dsse");
  }

  private ObjectNode hashedRekord(JsonNode request) throws Refused {
    requireOnly(request, "digest", "signature");
    byte[] digest = base64(request, "digest");
    JsonNode signature = request.path("signature");
    requireOnly(signature, "content", "verifier");
    byte[] content = base64(signature, "content");
    Verifier verifier = verifier(signature.path("verifier"));
    if (digest.length != 32) {
      throw new Refused("digest length (" + digest.length + ") does not match SHA2_256");
    }
    if (!verifies("NONEwithECDSA", verifier.key(), digest, content)) {
      throw new Refused("verifying signature: invalid signature when validating ASN.1 encoded");
    }
    ObjectNode entry = header("hashedrekord");
    ObjectNode spec = entry.putObject("spec").putObject("hashedRekordV002");
    spec.putObject("data")
        .put("algorithm", "SHA2_256")
        .put("digest", Base64.getEncoder().encodeToString(digest));
    ObjectNode sig = spec.putObject("signature");
    sig.put("content", Base64.getEncoder().encodeToString(content));
    sig.set("verifier", verifier.json());
    return entry;
  }

  private ObjectNode dsse(JsonNode request) throws Refused {
    requireOnly(request, "envelope", "verifiers");
    JsonNode envelope = request.path("envelope");
    byte[] payload = base64(envelope, "payload");
    String payloadType = envelope.path("payloadType").asText("");
    byte[] pae = LoopbackTransparencyLog.pae(payloadType, payload);
    if (!request.path("verifiers").isArray() || request.path("verifiers").isEmpty()) {
      throw new Refused("missing verifiers");
    }
    // signature (raw bytes, as sorting key) -> its verifier, sorted as rekor-tiles sorted them
    TreeMap<String, Verifier> signatures = new TreeMap<>();
    for (JsonNode s : envelope.path("signatures")) {
      byte[] sig = base64(s, "sig");
      Verifier match = null;
      for (JsonNode v : request.path("verifiers")) {
        Verifier candidate = verifier(v);
        if (verifies("SHA256withECDSA", candidate.key(), pae, sig)) {
          match = candidate;
        }
      }
      if (match == null) {
        throw new Refused(
            "could not verify envelope: all signatures must have a key that verifies it");
      }
      signatures.put(new String(sig, StandardCharsets.ISO_8859_1), match);
    }
    if (signatures.isEmpty()) {
      throw new Refused("envelope missing signatures");
    }
    ObjectNode entry = header("dsse");
    ObjectNode spec = entry.putObject("spec").putObject("dsseV002");
    spec.putObject("payloadHash")
        .put("algorithm", "SHA2_256")
        .put("digest", Base64.getEncoder().encodeToString(MerkleTree.sha256(payload)));
    ArrayNode sigs = spec.putArray("signatures");
    signatures.forEach(
        (sig, verifier) ->
            sigs.addObject()
                .put(
                    "content",
                    Base64.getEncoder().encodeToString(sig.getBytes(StandardCharsets.ISO_8859_1)))
                .set("verifier", verifier.json()));
    return entry;
  }

  private record Verifier(PublicKey key, ObjectNode json) {}

  /** A Fulcio certificate verifier; keyDetails must name the certificate key's algorithm. */
  private static Verifier verifier(JsonNode verifier) throws Refused {
    requireOnly(verifier, "keyDetails", "x509Certificate");
    byte[] der = base64(verifier.path("x509Certificate"), "rawBytes");
    X509Certificate cert;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
    } catch (Exception e) {
      throw new Refused("invalid verifier: parsing certificate");
    }
    if (!(cert.getPublicKey() instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 256
        || !"PKIX_ECDSA_P256_SHA_256".equals(verifier.path("keyDetails").asText())) {
      throw new Refused(
          "unsupported entry algorithm for key details " + verifier.path("keyDetails"));
    }
    ObjectNode json = Http.JSON.createObjectNode();
    json.put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
    json.putObject("x509Certificate").put("rawBytes", Base64.getEncoder().encodeToString(der));
    return new Verifier(cert.getPublicKey(), json);
  }

  private ObjectNode response(int index, ObjectNode entry, byte[] canonical) {
    Base64.Encoder b64 = Base64.getEncoder();
    int treeSize = tree.size();
    byte[] root = tree.rootHash(treeSize);
    ObjectNode tle = Http.JSON.createObjectNode();
    tle.put("logIndex", Integer.toString(index));
    tle.putObject("logId").put("keyId", b64.encodeToString(logId()));
    tle.putObject("kindVersion")
        .put("kind", entry.path("kind").asText())
        .put("version", entry.path("apiVersion").asText());
    ObjectNode proof = tle.putObject("inclusionProof");
    proof.put("logIndex", Integer.toString(index));
    proof.put("rootHash", b64.encodeToString(root));
    proof.put("treeSize", Integer.toString(treeSize));
    ArrayNode hashes = proof.putArray("hashes");
    tree.inclusionProof(index, treeSize).forEach(h -> hashes.add(b64.encodeToString(h)));
    proof.putObject("checkpoint").put("envelope", checkpoint(treeSize, root));
    tle.put("canonicalizedBody", b64.encodeToString(canonical));
    return tle;
  }

  /** A C2SP checkpoint: origin, size, root; one signature line under the origin as key name. */
  private String checkpoint(int treeSize, byte[] root) {
    String text = origin + "\n" + treeSize + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    byte[] signature;
    try {
      Signature signer =
          Signature.getInstance(keyType == KeyType.ED25519 ? "Ed25519" : "SHA256withECDSA");
      signer.initSign(key.getPrivate());
      signer.update(text.getBytes(StandardCharsets.UTF_8));
      signature = signer.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    byte[] hinted = new byte[4 + signature.length];
    System.arraycopy(logId(), 0, hinted, 0, 4);
    System.arraycopy(signature, 0, hinted, 4, signature.length);
    return text + "\n\u2014 " + origin + " " + Base64.getEncoder().encodeToString(hinted) + "\n";
  }

  private static ObjectNode header(String kind) {
    ObjectNode entry = Http.JSON.createObjectNode();
    entry.put("apiVersion", "0.0.2");
    entry.put("kind", kind);
    return entry;
  }

  private static void requireOnly(JsonNode node, String... fields) throws Refused {
    if (!node.isObject()) {
      throw new Refused("invalid request: expected an object");
    }
    Set<String> allowed = Set.of(fields);
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new Refused("invalid request: unknown field " + name);
      }
    }
  }

  private static byte[] base64(JsonNode node, String field) throws Refused {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw new Refused("missing " + field);
    }
    try {
      return Base64.getDecoder().decode(value.textValue());
    } catch (IllegalArgumentException e) {
      throw new Refused("invalid base64 in " + field);
    }
  }

  private static boolean verifies(String algorithm, PublicKey key, byte[] data, byte[] sig) {
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(sig);
    } catch (Exception e) {
      return false;
    }
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
