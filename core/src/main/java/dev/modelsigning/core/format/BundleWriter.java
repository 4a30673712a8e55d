package dev.modelsigning.core.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;

/** Writes compact Sigstore bundle v0.3 JSON for the key and certificate methods. */
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

  public static ObjectNode envelope(DsseEnvelope e) {
    ObjectNode env = Json.MAPPER.createObjectNode();
    env.put("payload", Base64.getEncoder().encodeToString(e.payload()));
    env.put("payloadType", e.payloadType());
    ObjectNode sig = env.putArray("signatures").addObject();
    sig.put("sig", Base64.getEncoder().encodeToString(e.signature()));
    sig.put("keyid", e.keyId());
    return env;
  }

  private static ObjectNode start() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("mediaType", SigstoreBundle.MEDIA_TYPE_V03);
    return root;
  }
}
