package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.format.BundleWriter;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.Statement;
import dev.modelsigning.core.signing.Certificates;
import dev.modelsigning.core.testing.LoopbackSigstore;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Makes keyless bundles whose log entry is a Rekor v1 {@code intoto} 0.0.2 entry (what cosign and
 * older sigstore-js clients wrote for DSSE), with the loopback Fulcio, Rekor v1 and TSA: a real
 * certificate, signature, entry, SET, inclusion proof and checkpoint. The production signer writes
 * {@code dsse} entries on Rekor v1; this exists so that verification of the other kind is tested.
 */
final class IntotoBundles {
  private IntotoBundles() {}

  static byte[] sign(LoopbackSigstore sigstore, String token, byte[] statement) throws Exception {
    return sign(sigstore, token, statement, false);
  }

  /**
   * @param resignAfterLogging put a second, equally valid signature by the same key into the
   *     envelope after the first was logged: everything verifies except that the log recorded
   *     another signature
   */
  static byte[] sign(
      LoopbackSigstore sigstore, String token, byte[] statement, boolean resignAfterLogging)
      throws Exception {
    HttpTransport http = HttpTransport.defaults();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair key = generator.generateKeyPair();
    String subject = IdentityTokenClaims.parseUnverified(token).proofOfPossessionSubject();
    SigningCertificate certificate =
        new FulcioClient(sigstore.fulcioUrl(), http)
            .requestCertificate(
                token, key.getPublic(), sign(key, subject.getBytes(StandardCharsets.UTF_8)));

    String payloadType = Statement.PAYLOAD_TYPE;
    byte[] signature = sign(key, Dsse.pae(payloadType, statement));
    DsseEnvelope envelope = new DsseEnvelope(statement, payloadType, signature, "");

    HttpTransport.Response response =
        http.post(
            Urls.resolve(sigstore.rekorUrl(), "api/v1/log/entries"),
            "application/json",
            Json.MAPPER.writeValueAsBytes(proposal(envelope, statement, signature, certificate)),
            Map.of("Accept", "application/json"));
    if (response.status() != 201) {
      throw new IllegalStateException("intoto upload refused: " + response.bodySnippet());
    }
    TransparencyLogEntry entry = TransparencyLogEntry.fromRekorResponse(response.body());
    if (resignAfterLogging) {
      signature = sign(key, Dsse.pae(payloadType, statement));
      envelope = new DsseEnvelope(statement, payloadType, signature, "");
    }
    byte[] stamped = signature;

    List<byte[]> timestamps = new ArrayList<>();
    sigstore
        .tsaUrl()
        .ifPresent(
            url -> timestamps.add(new TimestampAuthorityClient(url, http).timestamp(stamped)));
    return BundleWriter.keylessBundle(
        envelope, Certificates.der(certificate.leaf()), entry.toBundleJson(), timestamps);
  }

  /** Rekor's intoto 0.0.2 proposal: payload and signature base64-encoded twice, signer as PEM. */
  private static ObjectNode proposal(
      DsseEnvelope envelope, byte[] statement, byte[] signature, SigningCertificate certificate)
      throws Exception {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode proposal = Json.MAPPER.createObjectNode();
    proposal.put("apiVersion", "0.0.2");
    proposal.put("kind", "intoto");
    ObjectNode content = proposal.putObject("spec").putObject("content");
    ObjectNode env = content.putObject("envelope");
    env.put(
        "payload",
        b64.encodeToString(b64.encodeToString(statement).getBytes(StandardCharsets.US_ASCII)));
    env.put("payloadType", Statement.PAYLOAD_TYPE);
    env.putArray("signatures")
        .addObject()
        .put(
            "sig",
            b64.encodeToString(b64.encodeToString(signature).getBytes(StandardCharsets.US_ASCII)))
        .put(
            "publicKey",
            b64.encodeToString(
                Certificates.pem(certificate.leaf()).getBytes(StandardCharsets.US_ASCII)));
    byte[] envelopeJson = BundleWriter.envelopeJson(envelope).getBytes(StandardCharsets.UTF_8);
    content
        .putObject("hash")
        .put("algorithm", "sha256")
        .put(
            "value",
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(envelopeJson)));
    return proposal;
  }

  private static byte[] sign(KeyPair key, byte[] data) throws Exception {
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key.getPrivate());
    signer.update(data);
    return signer.sign();
  }
}
