package dev.modelsigning.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelsigning.core.testing.Interop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundle layout and DSSE encoding, against bytes model_signing v1.1.0 wrote. */
class BundleFormatTest {
  @Test
  void keyBundleIsByteIdenticalToModelSigning110() throws Exception {
    Path sig = Interop.releaseTests().resolve("v1.1.0-elliptic-key/model.sig");
    byte[] original = Files.readAllBytes(sig);
    SigstoreBundle b = BundleReader.read(original);
    VerificationMaterial.PublicKey pk = (VerificationMaterial.PublicKey) b.material();
    assertArrayEquals(original, BundleWriter.publicKeyBundle(b.envelope(), pk.hint()));
  }

  @Test
  void certificateBundleIsByteIdenticalToModelSigning110() throws Exception {
    Path sig = Interop.releaseTests().resolve("v1.1.0-certificate/model.sig");
    byte[] original = Files.readAllBytes(sig);
    SigstoreBundle b = BundleReader.read(original);
    VerificationMaterial.CertificateChain chain =
        (VerificationMaterial.CertificateChain) b.material();
    assertArrayEquals(
        original, BundleWriter.certificateChainBundle(b.envelope(), chain.certificates()));
  }

  @Test
  void paeCountsBytesNotCharacters() {
    byte[] payload = "{\"n\":\"\u00e9\uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals(14, payload.length); // 8 ASCII + 2 + 4
    byte[] pae = Dsse.pae(Statement.PAYLOAD_TYPE, payload);
    byte[] prefix =
        "DSSEv1 28 application/vnd.in-toto+json 14 ".getBytes(StandardCharsets.US_ASCII);
    byte[] expected = new byte[prefix.length + payload.length];
    System.arraycopy(prefix, 0, expected, 0, prefix.length);
    System.arraycopy(payload, 0, expected, prefix.length, payload.length);
    assertArrayEquals(expected, pae);
  }

  @Test
  void nullKeyIdOfV101ReadsAsEmpty() throws Exception {
    byte[] original =
        Files.readAllBytes(Interop.releaseTests().resolve("v1.0.1-elliptic-key/model.sig"));
    assertEquals("", BundleReader.read(original).envelope().keyId());
  }

  /**
   * The keyless layout: certificate, the log entry as given, timestamps only when there are any.
   */
  @Test
  void keylessBundleLayout() {
    DsseEnvelope envelope =
        new DsseEnvelope(
            "{}".getBytes(StandardCharsets.US_ASCII), Statement.PAYLOAD_TYPE, new byte[] {1}, "");
    var entry = Json.MAPPER.createObjectNode().put("logIndex", "7");
    String envelopeJson =
        "{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.in-toto+json\","
            + "\"signatures\":[{\"sig\":\"AQ==\",\"keyid\":\"\"}]}";
    assertEquals(envelopeJson, BundleWriter.envelopeJson(envelope));
    assertEquals(
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
            + "\"verificationMaterial\":{\"certificate\":{\"rawBytes\":\"Ag==\"},"
            + "\"tlogEntries\":[{\"logIndex\":\"7\"}]},"
            + "\"dsseEnvelope\":"
            + envelopeJson
            + "}",
        new String(
            BundleWriter.keylessBundle(envelope, new byte[] {2}, entry, List.of()),
            StandardCharsets.UTF_8));
    SigstoreBundle read =
        BundleReader.read(
            BundleWriter.keylessBundle(envelope, new byte[] {2}, entry, List.of(new byte[] {3})));
    assertArrayEquals(
        new byte[] {2}, ((VerificationMaterial.Certificate) read.material()).certificate());
    assertEquals(
        "Aw==",
        Json.parse(read.json(), "bundle")
            .at(
                "/verificationMaterial/timestampVerificationData/rfc3161Timestamps/0/signedTimestamp")
            .asText());
    assertArrayEquals(envelope.signature(), read.envelope().signature());
  }
}
