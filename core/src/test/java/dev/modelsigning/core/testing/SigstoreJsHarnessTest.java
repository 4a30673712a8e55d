package dev.modelsigning.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that the sigstore-js harness both accepts and rejects, on real model_signing bundles and
 * the OMS v1.0 vectors from {@code shared/interop}.
 */
class SigstoreJsHarnessTest {

  private static final String IDENTITY = "stefanb@us.ibm.com";
  private static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;

  private static Path signingKeyPub;
  private static Path otherKeyPub;
  private static Path otherCa;

  @BeforeAll
  static void keys() throws Exception {
    // certtool writes a text dump before -----BEGIN; keep only the PEM block.
    String raw =
        Files.readString(
            InteropData.modelTransparencyTests("keys/certificate/signing-key-pub.pem"),
            StandardCharsets.US_ASCII);
    signingKeyPub = tmp.resolve("signing-key-pub.pem");
    Files.writeString(signingKeyPub, raw.substring(raw.indexOf("-----BEGIN")));

    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair other = gen.generateKeyPair();
    otherKeyPub = tmp.resolve("other-pub.pem");
    Files.writeString(otherKeyPub, pem(other.getPublic()));

    // A self-signed CA with the same subject as the real root (CN=root-ca) but another key.
    KeyPair caKeys = gen.generateKeyPair();
    X500Name name = new X500Name("CN=root-ca");
    Instant now = Instant.now();
    X509CertificateHolder ca =
        new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                name,
                caKeys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .build(new JcaContentSignerBuilder("SHA384withECDSA").build(caKeys.getPrivate()));
    otherCa = tmp.resolve("other-ca.pem");
    Files.writeString(otherCa, pem(ca));
  }

  private static String pem(Object o) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    }
    return w.toString();
  }

  private static Path mt(String relative) {
    return InteropData.modelTransparencyTests(relative);
  }

  private static Path trustConfig() {
    return InteropData.resolve(
        "sigstore-model-transparency/tests/_signing/testdata/custom_trust_config.json");
  }

  private static void assertAccepted(SigstoreJs.Result r) {
    assertTrue(r.ok(), () -> "expected sigstore-js to accept: " + r + " " + r.stderr());
    assertEquals(0, r.exitCode());
  }

  private static void assertRejected(SigstoreJs.Result r, String errorFragment) {
    assertFalse(r.ok(), () -> "expected sigstore-js to reject: " + r);
    assertEquals(1, r.exitCode(), () -> "expected a verification failure, got " + r);
    assertTrue(
        r.error().contains(errorFragment),
        () -> "error should mention '" + errorFragment + "': " + r.error());
  }

  // --- public-key bundles ------------------------------------------------------------------

  @Test
  void keyBundleWithHintAccepted() {
    SigstoreJs.Result r =
        SigstoreJs.verifyWithPublicKey(mt("v1.1.0-elliptic-key/model.sig"), signingKeyPub);
    assertAccepted(r);
    assertEquals("hint", r.report().path("keyMatch").asText());
    assertEquals("sha384", r.report().path("signatureHash").asText());
  }

  @Test
  void keyBundleWithRawBytesAccepted() {
    SigstoreJs.Result r =
        SigstoreJs.verifyWithPublicKey(mt("v1.0.1-elliptic-key/model.sig"), signingKeyPub);
    assertAccepted(r);
    assertEquals("rawBytes", r.report().path("keyMatch").asText());
  }

  @Test
  void certtoolPemWithTextHeaderAccepted() {
    assertAccepted(
        SigstoreJs.verifyWithPublicKey(
            mt("v0.3.1-elliptic-key/model.sig"), mt("keys/certificate/signing-key-pub.pem")));
  }

  @Test
  void keyBundleWithOtherKeyRejected() {
    assertRejected(
        SigstoreJs.verifyWithPublicKey(mt("v1.1.0-elliptic-key/model.sig"), otherKeyPub),
        "does not name the given key");
    assertRejected(
        SigstoreJs.verifyWithPublicKey(mt("v1.0.1-elliptic-key/model.sig"), otherKeyPub),
        "different key");
    // Even when the hint is ignored, the signature itself must not verify with another key.
    assertRejected(
        SigstoreJs.verifyWithPublicKey(
            mt("v1.1.0-elliptic-key/model.sig"), otherKeyPub, "--any-hint"),
        "SIGNATURE_ERROR");
  }

  @Test
  void keyBundleWithTamperedPayloadRejected() throws Exception {
    Path tampered = tamperPayload(mt("v1.1.0-elliptic-key/model.sig"), "key-tampered.sig");
    assertRejected(SigstoreJs.verifyWithPublicKey(tampered, signingKeyPub), "SIGNATURE_ERROR");
  }

  @Test
  void signatureHashMustFollowTheCurve() throws Exception {
    // sigstore-js alone would accept only SHA-256 for every EC curve; the harness hashes by curve.
    assertAccepted(signedKeyBundle("secp256r1", "SHA256withECDSA", "p256-sha256"));
    assertAccepted(signedKeyBundle("secp384r1", "SHA384withECDSA", "p384-sha384"));
    assertAccepted(signedKeyBundle("secp521r1", "SHA512withECDSA", "p521-sha512"));
    assertRejected(
        signedKeyBundle("secp384r1", "SHA256withECDSA", "p384-sha256"), "SIGNATURE_ERROR");
    assertRejected(
        signedKeyBundle("secp256r1", "SHA384withECDSA", "p256-sha384"), "SIGNATURE_ERROR");
  }

  /** Signs a tiny statement as a DSSE key bundle with a fresh key and verifies it. */
  private static SigstoreJs.Result signedKeyBundle(String curve, String algorithm, String name)
      throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec(curve));
    KeyPair kp = gen.generateKeyPair();
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(kp.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    byte[] payload =
        "{\"_type\":\"https://in-toto.io/Statement/v1\"}".getBytes(StandardCharsets.UTF_8);
    String type = "application/vnd.in-toto+json";
    byte[] header =
        ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ")
            .getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(kp.getPrivate());
    signer.update(header);
    signer.update(payload);
    byte[] sig = signer.sign();
    String hint =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(pem.getBytes(StandardCharsets.US_ASCII)));
    ObjectNode bundle = JSON.createObjectNode();
    bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
    ObjectNode vm = bundle.putObject("verificationMaterial");
    vm.putObject("publicKey").put("hint", hint);
    vm.putArray("tlogEntries");
    ObjectNode env = bundle.putObject("dsseEnvelope");
    env.put("payload", Base64.getEncoder().encodeToString(payload));
    env.put("payloadType", type);
    env.putArray("signatures").addObject().put("sig", Base64.getEncoder().encodeToString(sig));
    Path bundlePath = tmp.resolve(name + ".sig");
    Path keyPath = tmp.resolve(name + ".pub");
    JSON.writeValue(bundlePath.toFile(), bundle);
    Files.writeString(keyPath, pem);
    return SigstoreJs.verifyWithPublicKey(bundlePath, keyPath);
  }

  // --- certificate-chain bundles --------------------------------------------------------------

  @Test
  void chainBundleAcceptedWithRoot() {
    SigstoreJs.Result r =
        SigstoreJs.verifyWithCaChain(
            mt("v1.1.0-certificate/model.sig"), mt("keys/certificate/ca-cert.pem"));
    assertAccepted(r);
    assertEquals(1, r.report().path("intermediatesFromBundle").asInt());
  }

  @Test
  void chainBundleAcceptedWithRootAndIntermediate() throws Exception {
    Path both = tmp.resolve("root-and-int.pem");
    Files.writeString(
        both,
        Files.readString(mt("keys/certificate/int-ca-cert.pem"))
            + Files.readString(mt("keys/certificate/ca-cert.pem")));
    SigstoreJs.Result r = SigstoreJs.verifyWithCaChain(mt("v1.1.0-certificate/model.sig"), both);
    assertAccepted(r);
    assertEquals(0, r.report().path("intermediatesFromBundle").asInt());
  }

  @Test
  void chainBundleRejectedWithOtherCa() {
    assertRejected(
        SigstoreJs.verifyWithCaChain(mt("v1.1.0-certificate/model.sig"), otherCa),
        "CERTIFICATE_ERROR");
  }

  @Test
  void chainBundleRejectedAfterCertificateExpiry() {
    assertRejected(
        SigstoreJs.verifyWithCaChain(
            mt("v1.1.0-certificate/model.sig"),
            mt("keys/certificate/ca-cert.pem"),
            "--at",
            "2036-01-01T00:00:00Z"),
        "CERTIFICATE_ERROR");
  }

  @Test
  void chainBundleWithTamperedPayloadRejected() throws Exception {
    Path tampered = tamperPayload(mt("v1.1.0-certificate/model.sig"), "chain-tampered.sig");
    assertRejected(
        SigstoreJs.verifyWithCaChain(tampered, mt("keys/certificate/ca-cert.pem")),
        "SIGNATURE_ERROR");
  }

  // --- keyless (Fulcio + Rekor) bundles -------------------------------------------------------

  @Test
  void keylessBundleAcceptedOffline() {
    // v1.0.1: Fulcio certificate + Rekor entry with SET and inclusion proof, no RFC 3161 stamp.
    SigstoreJs.Result r =
        SigstoreJs.verifyKeyless(mt("v1.0.1-sigstore/model.sig"), trustConfig(), IDENTITY, ISSUER);
    assertAccepted(r);
    assertEquals(IDENTITY, r.report().path("signer").path("subjectAlternativeName").asText());
    assertEquals(ISSUER, r.report().path("signer").path("issuer").asText());
  }

  @Test
  void keylessBundleWithPublicGoodTimestampNeedsTsaInTrustedRoot() {
    // custom_trust_config.json trusts only GitHub's TSA, not timestamp.sigstore.dev, and
    // sigstore-js rejects a bundle with any RFC 3161 timestamp it cannot verify.
    assertRejected(
        SigstoreJs.verifyKeyless(mt("v1.1.0-sigstore/model.sig"), trustConfig(), IDENTITY, ISSUER),
        "TIMESTAMP_ERROR");
    SigstoreJs.Result r =
        SigstoreJs.verifyKeyless(
            mt("v1.1.0-sigstore/model.sig"), trustConfig(), IDENTITY, ISSUER, "--ignore-rfc3161");
    assertAccepted(r);
    assertEquals(1, r.report().path("rfc3161Ignored").asInt());
  }

  @Test
  void keylessBundleAcceptedWithPlainTrustedRoot() throws Exception {
    Path root = tmp.resolve("trusted_root.json");
    JSON.writeValue(root.toFile(), JSON.readTree(trustConfig().toFile()).get("trustedRoot"));
    assertAccepted(
        SigstoreJs.verifyKeyless(
            mt("v1.1.0-sigstore/model.sig"), root, IDENTITY, ISSUER, "--ignore-rfc3161"));
  }

  @Test
  void keylessBundleRejectedWithWrongIdentityOrIssuer() {
    Path bundle = mt("v1.1.0-sigstore/model.sig");
    assertRejected(
        SigstoreJs.verifyKeyless(
            bundle, trustConfig(), "someone@us.ibm.com", ISSUER, "--ignore-rfc3161"),
        "UNTRUSTED_SIGNER_ERROR");
    // The identity is matched exactly, not as the unanchored regexp sigstore-js takes.
    assertRejected(
        SigstoreJs.verifyKeyless(bundle, trustConfig(), "stefanb", ISSUER, "--ignore-rfc3161"),
        "UNTRUSTED_SIGNER_ERROR");
    assertRejected(
        SigstoreJs.verifyKeyless(
            bundle, trustConfig(), IDENTITY, "https://accounts.google.com", "--ignore-rfc3161"),
        "UNTRUSTED_SIGNER_ERROR");
  }

  @Test
  void keylessBundleWithTamperedPayloadRejected() throws Exception {
    Path tampered = tamperPayload(mt("v1.1.0-sigstore/model.sig"), "keyless-tampered.sig");
    SigstoreJs.Result r =
        SigstoreJs.verifyKeyless(tampered, trustConfig(), IDENTITY, ISSUER, "--ignore-rfc3161");
    // Caught by the Rekor entry's payload hash before the signature check.
    assertRejected(r, "TLOG_BODY_ERROR");
  }

  @Test
  void keylessBundleRejectedWithoutTrustedRootEntries() throws Exception {
    ObjectNode config = (ObjectNode) JSON.readTree(trustConfig().toFile());
    ObjectNode root = (ObjectNode) config.get("trustedRoot");
    root.putArray("tlogs");
    Path noRekor = tmp.resolve("no-rekor.json");
    JSON.writeValue(noRekor.toFile(), root);
    assertRejected(
        SigstoreJs.verifyKeyless(
            mt("v1.1.0-sigstore/model.sig"), noRekor, IDENTITY, ISSUER, "--ignore-rfc3161"),
        "TLOG");
  }

  // --- OMS v1.0 test vectors ------------------------------------------------------------------

  @Test
  void omsValidVectorsAccepted() {
    assertAccepted(
        SigstoreJs.verifyWithPublicKey(
            InteropData.omsVectors("valid/key.bundle.json"), signingKeyPub));
    assertAccepted(
        SigstoreJs.verifyWithCaChain(
            InteropData.omsVectors("valid/certificate.bundle.json"),
            mt("keys/certificate/ca-cert.pem")));
  }

  @Test
  void omsWrongPredicateRejected() {
    Path bundle = InteropData.omsVectors("invalid-payload/wrong-predicate.bundle.json");
    assertRejected(SigstoreJs.verifyWithPublicKey(bundle, signingKeyPub), "SIGNATURE_ERROR");
  }

  @Test
  void predicateTypeCheckIsOptIn() {
    Path bundle = mt("v1.1.0-elliptic-key/model.sig");
    assertAccepted(
        SigstoreJs.verifyWithPublicKey(
            bundle, signingKeyPub, "--predicate-type", "https://model_signing/signature/v1.0"));
    assertRejected(
        SigstoreJs.verifyWithPublicKey(
            bundle, signingKeyPub, "--predicate-type", "https://example.com/other"),
        "predicateType");
  }

  @Test
  void usageErrorsAreReportedAsSuch() {
    SigstoreJs.Result r =
        SigstoreJs.run(List.of("--bundle", mt("v1.1.0-elliptic-key/model.sig").toString()));
    assertFalse(r.ok());
    assertTrue(r.usageError(), r::toString);
  }

  /** Copies a bundle with one base64 character of {@code dsseEnvelope.payload} changed. */
  private static Path tamperPayload(Path bundle, String name) throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(bundle.toFile());
    ObjectNode envelope = (ObjectNode) json.get("dsseEnvelope");
    char[] payload = envelope.get("payload").asText().toCharArray();
    int i = payload.length / 2;
    payload[i] = payload[i] == 'A' ? 'B' : 'A';
    String changed = new String(payload);
    Base64.getDecoder().decode(changed); // still well-formed base64
    envelope.put("payload", changed);
    Path out = tmp.resolve(name);
    JSON.writeValue(out.toFile(), json);
    return out;
  }
}
