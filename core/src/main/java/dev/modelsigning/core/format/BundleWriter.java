package dev.modelsigning.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;

/**
 * Writes compact Sigstore bundle v0.3 JSON for every signing method (key, certificate, keyless),
 * and the DSSE envelope JSON in them: the one place either is built.
 */
public final class BundleWriter {
  private BundleWriter() {}

  /** A bundle checked by a public key, named by its hint; no transparency log. */
  public static byte[] publicKeyBundle(DsseEnvelope envelope, String keyHint) {
    ObjectNode root = start();
    ObjectNode vm = root.putObject("verificationMaterial");
    vm.putObject("publicKey").put("hint", keyHint);
    vm.putArray("tlogEntries");
    root.set("dsseEnvelope", envelope(envelope));
    return Json.write(root);
  }

  /** A bundle carrying the signing certificate and its chain, leaf first; no transparency log. */
  public static byte[] certificateChainBundle(DsseEnvelope envelope, List<byte[]> chainDer) {
    ObjectNode root = start();
    ObjectNode vm = root.putObject("verificationMaterial");
    ArrayNode certs = vm.putObject("x509CertificateChain").putArray("certificates");
    for (byte[] der : chainDer) {
      certs.addObject().put("rawBytes", Base64.getEncoder().encodeToString(der));
    }
    vm.putArray("tlogEntries");
    root.set("dsseEnvelope", envelope(envelope));
    return Json.write(root);
  }

  /**
   * A Sigstore keyless bundle: the Fulcio leaf certificate, its one transparency log entry and any
   * RFC 3161 timestamps over the signature.
   *
   * @param tlogEntry the log entry in bundle form (proto3 JSON), as the log client produced it
   * @param rfc3161Timestamps DER TimeStampResp each; none writes no timestampVerificationData
   */
  public static byte[] keylessBundle(
      DsseEnvelope envelope,
      byte[] leafCertificateDer,
      JsonNode tlogEntry,
      List<byte[]> rfc3161Timestamps) {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode root = start();
    ObjectNode vm = root.putObject("verificationMaterial");
    vm.putObject("certificate").put("rawBytes", b64.encodeToString(leafCertificateDer));
    vm.putArray("tlogEntries").add(tlogEntry);
    if (!rfc3161Timestamps.isEmpty()) {
      ArrayNode timestamps =
          vm.putObject("timestampVerificationData").putArray("rfc3161Timestamps");
      rfc3161Timestamps.forEach(
          t -> timestamps.addObject().put("signedTimestamp", b64.encodeToString(t)));
    }
    root.set("dsseEnvelope", envelope(envelope));
    return Json.write(root);
  }

  /** The envelope as a bundle's {@code dsseEnvelope} (and Rekor's requests) carry it. */
  public static ObjectNode envelope(DsseEnvelope e) {
    ObjectNode env = Json.MAPPER.createObjectNode();
    env.put("payload", Base64.getEncoder().encodeToString(e.payload()));
    env.put("payloadType", e.payloadType());
    ObjectNode sig = env.putArray("signatures").addObject();
    sig.put("sig", Base64.getEncoder().encodeToString(e.signature()));
    sig.put("keyid", e.keyId());
    return env;
  }

  /**
   * {@link #envelope} as compact JSON text: byte for byte what the bundle carries, which is what a
   * Rekor v1 {@code dsse} entry records the hash of.
   */
  public static String envelopeJson(DsseEnvelope e) {
    return Json.writeString(envelope(e));
  }

  private static ObjectNode start() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("mediaType", SigstoreBundle.MEDIA_TYPE_V03);
    return root;
  }
}
