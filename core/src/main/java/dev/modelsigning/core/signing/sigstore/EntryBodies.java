package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleWriter;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.signing.Certificates;
import dev.modelsigning.core.signing.EcSignatureScheme;
import dev.modelsigning.core.signing.PemKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds, from the bundle alone, the log entry body that the transparency log must have recorded
 * for this DSSE envelope and signing certificate, and compares it with the logged body. Without
 * this, a valid entry for some other signature could be attached to the bundle.
 *
 * <p>Kinds: Rekor v1 {@code dsse} 0.0.1 and {@code intoto} 0.0.2; Rekor v2 {@code dsse} 0.0.2 and
 * {@code hashedrekord} 0.0.2 (which records a DSSE envelope as the hash of its PAE, the form Rekor
 * v2 has accepted since it dropped DSSE entries). Rekor v1 also records a hash of the envelope JSON
 * as submitted; that JSON is not in the bundle, so only the shape of that hash is checked.
 */
final class EntryBodies {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private EntryBodies() {}

  /** Kinds this verifier can rebuild. */
  static final List<String> SUPPORTED =
      List.of("dsse/0.0.1", "intoto/0.0.2", "dsse/0.0.2", "hashedrekord/0.0.2");

  /**
   * @throws VerificationException naming the first field that differs
   */
  static void requireMatches(BundleLogEntry entry, DsseEnvelope envelope, X509Certificate leaf) {
    JsonNode expected =
        switch (entry.kindVersion()) {
          case "dsse/0.0.1" -> dsseV001(entry.body(), envelope, leaf);
          case "intoto/0.0.2" -> intotoV002(entry.body(), envelope, leaf);
          case "dsse/0.0.2" -> dsseV002(envelope, leaf);
          case "hashedrekord/0.0.2" -> hashedRekordV002(envelope, leaf);
          default ->
              throw new VerificationException(
                  "transparency log entry kind "
                      + entry.kindVersion()
                      + " is not supported for DSSE bundles (supported: "
                      + String.join(", ", SUPPORTED)
                      + ")");
        };
    String difference = firstDifference(expected, entry.body(), "");
    if (difference != null) {
      throw new VerificationException(
          "transparency log entry ("
              + entry.kindVersion()
              + ") does not match the bundle: its body differs at '"
              + difference
              + "' from the body rebuilt from the envelope and certificate");
    }
  }

  /** The request body Rekor v2 takes for a DSSE envelope logged as a hashedrekord. */
  static ObjectNode hashedRekordRequest(DsseEnvelope envelope, X509Certificate leaf) {
    ObjectNode spec = hashedRekordSpec(envelope, leaf);
    ObjectNode request = Json.MAPPER.createObjectNode();
    ObjectNode v002 = request.putObject("hashedRekordRequestV002");
    v002.put("digest", spec.path("data").path("digest").asText());
    v002.set("signature", spec.get("signature"));
    return request;
  }

  /** The request body Rekor v2 took for a DSSE entry (deprecated there since mid 2026). */
  static ObjectNode dsseRequest(DsseEnvelope envelope, X509Certificate leaf) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    ObjectNode v002 = request.putObject("dsseRequestV002");
    v002.set("envelope", BundleWriter.envelope(envelope));
    v002.putArray("verifiers").add(verifier(leaf));
    return request;
  }

  private static JsonNode dsseV001(JsonNode actual, DsseEnvelope envelope, X509Certificate leaf) {
    ObjectNode body = header("dsse", "0.0.1");
    ObjectNode spec = body.putObject("spec");
    spec.set("envelopeHash", unverifiableHash(actual.path("spec").path("envelopeHash")));
    spec.putObject("payloadHash")
        .put("algorithm", "sha256")
        .put("value", HexFormat.of().formatHex(digest("SHA-256", envelope.payload())));
    ObjectNode signature = spec.putArray("signatures").addObject();
    signature.put("signature", B64.encodeToString(envelope.signature()));
    signature.put(
        "verifier", samePem(actual.path("spec").path("signatures").path(0).path("verifier"), leaf));
    return body;
  }

  private static JsonNode intotoV002(JsonNode actual, DsseEnvelope envelope, X509Certificate leaf) {
    JsonNode actualContent = actual.path("spec").path("content");
    ObjectNode body = header("intoto", "0.0.2");
    ObjectNode content = body.putObject("spec").putObject("content");
    ObjectNode env = content.putObject("envelope");
    env.put("payloadType", envelope.payloadType());
    ObjectNode signature = env.putArray("signatures").addObject();
    if (!envelope.keyId().isEmpty()) {
      signature.put("keyid", envelope.keyId());
    }
    signature.put(
        "publicKey",
        samePem(actualContent.path("envelope").path("signatures").path(0).path("publicKey"), leaf));
    // Rekor v1 intoto stores the signature's base64 text base64-encoded once more.
    signature.put(
        "sig",
        B64.encodeToString(
            B64.encodeToString(envelope.signature()).getBytes(StandardCharsets.US_ASCII)));
    content.set("hash", unverifiableHash(actualContent.path("hash")));
    content
        .putObject("payloadHash")
        .put("algorithm", "sha256")
        .put("value", HexFormat.of().formatHex(digest("SHA-256", envelope.payload())));
    return body;
  }

  private static JsonNode dsseV002(DsseEnvelope envelope, X509Certificate leaf) {
    ObjectNode body = header("dsse", "0.0.2");
    ObjectNode v002 = body.putObject("spec").putObject("dsseV002");
    v002.putObject("payloadHash")
        .put("algorithm", "SHA2_256")
        .put("digest", B64.encodeToString(digest("SHA-256", envelope.payload())));
    ObjectNode signature = v002.putArray("signatures").addObject();
    signature.put("content", B64.encodeToString(envelope.signature()));
    signature.set("verifier", verifier(leaf));
    return body;
  }

  private static JsonNode hashedRekordV002(DsseEnvelope envelope, X509Certificate leaf) {
    ObjectNode body = header("hashedrekord", "0.0.2");
    body.putObject("spec").set("hashedRekordV002", hashedRekordSpec(envelope, leaf));
    return body;
  }

  /** data = hash of the PAE (the bytes the signature covers), with the key's prehash. */
  private static ObjectNode hashedRekordSpec(DsseEnvelope envelope, X509Certificate leaf) {
    EcSignatureScheme scheme = scheme(leaf);
    String[] hash =
        switch (scheme) {
          case P256 -> new String[] {"SHA2_256", "SHA-256"};
          case P384 -> new String[] {"SHA2_384", "SHA-384"};
          case P521 -> new String[] {"SHA2_512", "SHA-512"};
        };
    ObjectNode spec = Json.MAPPER.createObjectNode();
    spec.putObject("data")
        .put("algorithm", hash[0])
        .put("digest", B64.encodeToString(digest(hash[1], envelope.signedBytes())));
    ObjectNode signature = spec.putObject("signature");
    signature.put("content", B64.encodeToString(envelope.signature()));
    signature.set("verifier", verifier(leaf));
    return spec;
  }

  private static ObjectNode verifier(X509Certificate leaf) {
    ObjectNode verifier = Json.MAPPER.createObjectNode();
    verifier.put("keyDetails", scheme(leaf).keyDetails());
    verifier
        .putObject("x509Certificate")
        .put("rawBytes", B64.encodeToString(Certificates.der(leaf)));
    return verifier;
  }

  private static ObjectNode header(String kind, String apiVersion) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("apiVersion", apiVersion);
    body.put("kind", kind);
    return body;
  }

  /**
   * Rekor v1 keeps the signer as base64 of a PEM certificate; PEM line layout is not part of the
   * identity, so any PEM of the same certificate counts as equal.
   */
  private static String samePem(JsonNode actual, X509Certificate leaf) {
    String canonical =
        B64.encodeToString(Certificates.pem(leaf).getBytes(StandardCharsets.US_ASCII));
    if (actual.isTextual()) {
      try {
        String pem =
            new String(Base64.getDecoder().decode(actual.textValue()), StandardCharsets.US_ASCII);
        List<X509Certificate> certs = PemKeys.parseCertificates(pem, "log entry verifier");
        if (certs.size() == 1
            && MessageDigest.isEqual(Certificates.der(certs.get(0)), Certificates.der(leaf))) {
          return actual.textValue();
        }
      } catch (Exception e) {
        // not a PEM certificate: leave the canonical value, the comparison reports the field
      }
    }
    return canonical;
  }

  /** A hash the bundle cannot recompute: it must at least be a SHA-256 hex digest. */
  private static JsonNode unverifiableHash(JsonNode actual) {
    ObjectNode expected = Json.MAPPER.createObjectNode().put("algorithm", "sha256");
    String value = actual.path("value").asText("");
    expected.put("value", SHA256_HEX.matcher(value).matches() ? value : "<sha256 hex>");
    return expected;
  }

  /** The dotted path of the first difference, or null when equal. */
  private static @Nullable String firstDifference(JsonNode expected, JsonNode actual, String path) {
    if (expected.isObject() && actual.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode other = actual.get(field.getKey());
        String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (other == null) {
          return at;
        }
        String inner = firstDifference(field.getValue(), other, at);
        if (inner != null) {
          return inner;
        }
      }
      Iterator<String> names = actual.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!expected.has(name)) {
          return path.isEmpty() ? name : path + "." + name;
        }
      }
      return null;
    }
    if (expected.isArray() && actual.isArray()) {
      if (expected.size() != actual.size()) {
        return path + "[" + actual.size() + " elements, expected " + expected.size() + "]";
      }
      for (int i = 0; i < expected.size(); i++) {
        String inner = firstDifference(expected.get(i), actual.get(i), path + "[" + i + "]");
        if (inner != null) {
          return inner;
        }
      }
      return null;
    }
    return expected.equals(actual) ? null : (path.isEmpty() ? "<body>" : path);
  }

  private static EcSignatureScheme scheme(X509Certificate leaf) {
    try {
      return EcSignatureScheme.of(leaf.getPublicKey());
    } catch (InvalidInputException e) {
      throw new VerificationException("signing certificate key: " + e.getMessage(), e);
    }
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
