package dev.modelsigning.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.VerificationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Parses a Sigstore bundle in every layout model_signing has written since v0.3.1 and OMS v1.0
 * describes. Anything else fails closed with a message naming the field at fault.
 */
public final class BundleReader {
  private static final Set<String> MEDIA_TYPES =
      Set.of(
          SigstoreBundle.MEDIA_TYPE_V03,
          "application/vnd.dev.sigstore.bundle+json;version=0.3",
          "application/vnd.dev.sigstore.bundle+json;version=0.2");

  private BundleReader() {}

  public static SigstoreBundle read(byte[] json) {
    JsonNode root = Json.parse(json, "signature bundle");
    if (!root.isObject()) {
      throw new VerificationException("signature bundle must be a JSON object");
    }
    String mediaType = JsonFields.text(root, "mediaType", "bundle");
    if (!MEDIA_TYPES.contains(mediaType)) {
      throw new VerificationException(
          "bundle mediaType '" + mediaType + "' is not a supported Sigstore bundle (v0.2, v0.3)");
    }
    if (root.get("dsseEnvelope") == null && root.get("messageSignature") != null) {
      throw new VerificationException(
          "bundle signs a message digest, not a DSSE statement: it is not a model signature");
    }
    JsonNode vm = JsonFields.object(root, "verificationMaterial", "bundle");
    VerificationMaterial material = material(vm);
    JsonNode tlog = vm.get("tlogEntries");
    if (tlog != null && !tlog.isArray()) {
      throw new VerificationException("bundle verificationMaterial.tlogEntries must be an array");
    }
    if (material instanceof VerificationMaterial.Certificate && (tlog == null || tlog.isEmpty())) {
      throw new VerificationException(
          "keyless bundle has no tlogEntries: a Sigstore certificate needs a transparency log"
              + " entry");
    }
    DsseEnvelope envelope = envelope(JsonFields.object(root, "dsseEnvelope", "bundle"));
    return new SigstoreBundle(
        mediaType, material, tlog == null ? Json.MAPPER.createArrayNode() : tlog, envelope, json);
  }

  private static VerificationMaterial material(JsonNode vm) {
    String where = "bundle.verificationMaterial";
    int kinds = 0;
    VerificationMaterial found = null;
    if (vm.hasNonNull("publicKey")) {
      kinds++;
      JsonNode pk = JsonFields.object(vm, "publicKey", where);
      String hint = JsonFields.optionalText(pk, "hint", where + ".publicKey");
      byte[] raw = pk.hasNonNull("rawBytes") ? JsonFields.base64(pk, "rawBytes", where) : null;
      // Neither hint nor rawBytes is tolerated, as model_signing does: the verifier's configured
      // key is what checks the signature either way.
      found = new VerificationMaterial.PublicKey(hint, raw);
    }
    if (vm.hasNonNull("x509CertificateChain")) {
      kinds++;
      JsonNode certs =
          JsonFields.array(
              JsonFields.object(vm, "x509CertificateChain", where),
              "certificates",
              where + ".x509CertificateChain");
      if (certs.isEmpty()) {
        throw new VerificationException(where + ".x509CertificateChain has no certificates");
      }
      List<byte[]> ders = new ArrayList<>();
      for (JsonNode c : certs) {
        ders.add(JsonFields.base64(c, "rawBytes", where + ".x509CertificateChain.certificates"));
      }
      found = new VerificationMaterial.CertificateChain(ders);
    }
    if (vm.hasNonNull("certificate")) {
      kinds++;
      found =
          new VerificationMaterial.Certificate(
              JsonFields.base64(JsonFields.object(vm, "certificate", where), "rawBytes", where));
    }
    if (kinds != 1) {
      throw new VerificationException(
          where
              + " must hold exactly one of publicKey, x509CertificateChain or certificate, found "
              + kinds);
    }
    return Objects.requireNonNull(found, "exactly one kind was found");
  }

  private static DsseEnvelope envelope(JsonNode env) {
    String where = "bundle.dsseEnvelope";
    byte[] payload = JsonFields.base64(env, "payload", where);
    String payloadType = JsonFields.text(env, "payloadType", where);
    if (!Statement.PAYLOAD_TYPE.equals(payloadType)) {
      throw new VerificationException(
          where
              + ".payloadType is '"
              + payloadType
              + "', expected '"
              + Statement.PAYLOAD_TYPE
              + "'");
    }
    JsonNode sigs = JsonFields.array(env, "signatures", where);
    if (sigs.size() != 1) {
      throw new VerificationException(
          where + " must carry exactly one signature, found " + sigs.size());
    }
    JsonNode sig = sigs.get(0);
    if (!sig.isObject()) {
      throw new VerificationException(where + ".signatures[0] must be an object");
    }
    byte[] signature = JsonFields.base64(sig, "sig", where + ".signatures[0]");
    if (signature.length == 0) {
      throw new VerificationException(where + ".signatures[0].sig is empty");
    }
    String keyId =
        Objects.requireNonNullElse(
            JsonFields.optionalText(sig, "keyid", where + ".signatures[0]"), "");
    return new DsseEnvelope(payload, payloadType, signature, keyId);
  }

  /** For messages: the bundle's first bytes, safely printable. */
  static String preview(byte[] json) {
    String s = new String(json, 0, Math.min(json.length, 60), StandardCharsets.UTF_8);
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
