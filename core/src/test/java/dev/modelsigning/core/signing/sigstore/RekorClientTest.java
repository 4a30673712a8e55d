package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.signing.Certificates;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RekorClientTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static OidcTestIssuer issuer;
  static LoopbackSigstore sigstore;

  @BeforeAll
  static void start() {
    issuer = new OidcTestIssuer();
    sigstore = LoopbackSigstore.builder(issuer.issuerUrl()).withTimestampAuthority(false).start();
  }

  @AfterAll
  static void stop() {
    sigstore.close();
    issuer.close();
  }

  @Test
  void reuploadReturnsTheExistingEntryAndTheBodyIsCanonical() throws Exception {
    {
      byte[] bundle =
          new SigstoreKeylessSigner(
                  sigstore.instance(),
                  IdentityTokenSource.of(issuer.token(KeylessRoundTripTest.IDENTITY)))
              .sign(KeylessRoundTripTest.STATEMENT);
      JsonNode json = JSON.readTree(bundle);
      String envelope = JSON.writeValueAsString(json.get("dsseEnvelope"));
      X509Certificate leaf =
          Certificates.fromDer(
              Base64.getDecoder()
                  .decode(
                      json.path("verificationMaterial")
                          .path("certificate")
                          .path("rawBytes")
                          .asText()));

      TransparencyLogEntry again =
          new RekorClient(sigstore.rekorUrl(), HttpTransport.defaults()).uploadDsse(envelope, leaf);
      JsonNode first = json.path("verificationMaterial").path("tlogEntries").get(0);
      assertEquals(first.path("logIndex").asLong(), again.logIndex());
      assertEquals(first.path("logIndex").asLong() + 1, sigstore.logSize());

      // Rekor's canonical dsse body: hashes and signature+verifier, never the envelope itself.
      JsonNode body = JSON.readTree(again.canonicalizedBody());
      assertTrue(
          new String(again.canonicalizedBody(), StandardCharsets.UTF_8)
              .startsWith(
                  "{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{\"envelopeHash\""));
      assertEquals(
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(envelope.getBytes(StandardCharsets.UTF_8))),
          body.path("spec").path("envelopeHash").path("value").asText());
      assertEquals(
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256").digest(KeylessRoundTripTest.STATEMENT)),
          body.path("spec").path("payloadHash").path("value").asText());
      assertArrayEquals(
          Certificates.pem(leaf).getBytes(StandardCharsets.US_ASCII),
          Base64.getDecoder()
              .decode(body.path("spec").path("signatures").get(0).path("verifier").asText()));
    }
  }

  @Test
  void anEnvelopeThatDoesNotVerifyIsRefusedWithTheStatus() throws Exception {
    {
      byte[] bundle =
          new SigstoreKeylessSigner(
                  sigstore.instance(),
                  IdentityTokenSource.of(issuer.token(KeylessRoundTripTest.IDENTITY)))
              .sign(KeylessRoundTripTest.STATEMENT);
      JsonNode json = JSON.readTree(bundle);
      ObjectNode envelope = (ObjectNode) json.get("dsseEnvelope");
      envelope.put("payloadType", "text/plain");
      X509Certificate leaf =
          Certificates.fromDer(
              Base64.getDecoder()
                  .decode(
                      json.path("verificationMaterial")
                          .path("certificate")
                          .path("rawBytes")
                          .asText()));
      var rekor = new RekorClient(sigstore.rekorUrl(), HttpTransport.defaults());
      var e =
          assertThrows(
              SigstoreServiceException.class,
              () -> rekor.uploadDsse(JSON.writeValueAsString(envelope), leaf));
      assertEquals(400, e.status());
      assertTrue(e.getMessage().contains(sigstore.rekorUrl().toString()), e.getMessage());
    }
  }
}
