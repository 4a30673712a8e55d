package dev.modelsigning.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.BundleWriter;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.format.DsseEncoding;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.format.SigstoreBundle;
import dev.modelsigning.core.format.Statement;
import dev.modelsigning.core.format.StatementFormat;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.format.VerificationMaterial;
import dev.modelsigning.core.manifest.HashingMethod;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.testing.Interop;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * model_signing v0.2 signatures (predicate {@code https://model_signing/Digests/v0.1}, one subject
 * per file, signed over v0.2's faulty DSSE encoding with SHA-256 even on P-384): verified with the
 * key and certificate methods as model_signing 1.x does, reported as the legacy format, and never
 * confused with the current format.
 */
class LegacyV02Test {
  /** {signme-1 (no newline), signme-2}: sha256 over the two per-file digests in listed order. */
  private static final String ROOT =
      "61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226";

  @TempDir Path dir;

  private static Path v020() {
    return Interop.releaseTests().resolve("v0.2.0-certificate");
  }

  private static byte[] v020Bundle() {
    return Interop.read(v020().resolve("model.sig"));
  }

  private static CertificateChainVerifier interopCa(ValidityCheck validity) {
    return CertificateChainVerifier.fromPem(
        List.of(Interop.certificateKeys().resolve("ca-cert.pem")), validity);
  }

  private static X509Certificate leafOf(byte[] bundle) throws Exception {
    VerificationMaterial.CertificateChain chain =
        (VerificationMaterial.CertificateChain) BundleReader.read(bundle).material();
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(chain.certificates().get(0)));
  }

  /**
   * The same envelope (payload and signature untouched) in the layout v0.2's key signer wrote:
   * {@code publicKey.rawBytes} = the PEM text, a P-256 keyDetails whatever the key, no tlog.
   */
  private static byte[] asV02KeyBundle(byte[] certificateBundle, String publicKeyPem) {
    ObjectNode t = SignedModels.tree(certificateBundle);
    ObjectNode vm = t.putObject("verificationMaterial");
    vm.putObject("publicKey")
        .put(
            "rawBytes",
            Base64.getEncoder().encodeToString(publicKeyPem.getBytes(StandardCharsets.US_ASCII)))
        .put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
    return SignedModels.bytes(t);
  }

  @ParameterizedTest
  @EnumSource(ValidityCheck.class)
  void realV020CertificateBundleVerifiesAsLegacy(ValidityCheck validity) {
    VerificationResult r =
        ModelVerifier.verify(v020(), v020Bundle(), interopCa(validity), "model.sig", List.of());
    assertEquals(StatementFormat.LEGACY_V0_2, r.format());
    assertEquals("CN=intermediate-ca", r.signer());
    assertEquals(2, r.fileCount());
    assertEquals(16, r.byteCount());
    assertEquals("", r.subjectName());
    assertEquals(ROOT, r.subjectDigestHex());
    assertEquals(List.of(), r.ignoredUnsignedFiles());
  }

  /**
   * The leaf's key (= signing-key-pub.pem) verifies the same real signature with the key method.
   */
  @Test
  void realV020SignatureVerifiesWithTheKeyMethod() throws Exception {
    X509Certificate leaf = leafOf(v020Bundle());
    Path pub = Interop.certificateKeys().resolve("signing-key-pub.pem");
    byte[] keyBundle = asV02KeyBundle(v020Bundle(), TestPki.pem(leaf.getPublicKey()));

    for (KeyVerifier key : List.of(KeyVerifier.fromPem(pub), KeyVerifier.of(leaf.getPublicKey()))) {
      VerifiedSignature sig = key.verify(BundleReader.read(keyBundle));
      assertEquals(DsseEncoding.LEGACY_V0_2, sig.encoding());
      VerificationResult r = ModelVerifier.verify(v020(), keyBundle, key, "model.sig", List.of());
      assertEquals(StatementFormat.LEGACY_V0_2, r.format());
      assertEquals(
          "key sha256:e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e",
          r.signer());
      assertEquals(ROOT, r.subjectDigestHex());
    }
    PublicKey otherKey = TestPki.ec("secp384r1").getPublic();
    KeyVerifier other = KeyVerifier.of(otherKey);
    byte[] otherKeyBundle = asV02KeyBundle(v020Bundle(), TestPki.pem(otherKey));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> ModelVerifier.verify(v020(), otherKeyBundle, other, "model.sig", List.of()));
    assertTrue(
        e.getMessage().startsWith("signature of this model_signing v0.2 statement does not verify"),
        e.getMessage());
  }

  /**
   * What the interop README records, checked with the JDK alone: the real signature covers the
   * legacy encoding with SHA-256 (not SHA-384, the P-384 leaf's own hash), and not the standard
   * one.
   */
  @Test
  void realSignatureCoversTheLegacyEncodingWithSha256Only() throws Exception {
    SigstoreBundle bundle = BundleReader.read(v020Bundle());
    DsseEnvelope env = bundle.envelope();
    PublicKey key = leafOf(v020Bundle()).getPublicKey();
    byte[] legacy = Dsse.legacyV02Pae(env.payloadType(), env.payload());
    assertTrue(
        new String(legacy, StandardCharsets.US_ASCII)
            .startsWith("DSSEV1 28 application/vnd.in-toto+json 664 b'{\\n  \"_type\""));
    assertTrue(verifies("SHA256withECDSA", key, legacy, env.signature()));
    assertFalse(verifies("SHA384withECDSA", key, legacy, env.signature()));
    assertFalse(verifies("SHA256withECDSA", key, env.signedBytes(), env.signature()));
    assertFalse(verifies("SHA384withECDSA", key, env.signedBytes(), env.signature()));
  }

  @Test
  void legacyStatementReadsAsAFilesManifestWithImpliedSettings() {
    SignedStatement s =
        StatementReader.read(
            BundleReader.read(v020Bundle()).envelope().payload(), DsseEncoding.LEGACY_V0_2);
    assertEquals(StatementFormat.LEGACY_V0_2, s.format());
    assertEquals(HashingMethod.FILES, s.manifest().settings().method());
    assertEquals("sha256", s.manifest().settings().hashAlgorithm().label());
    assertFalse(s.manifest().settings().allowSymlinks());
    assertEquals(null, s.manifest().settings().ignorePaths());
    assertEquals(
        List.of("signme-1", "signme-2"),
        s.manifest().resources().stream().map(r -> r.name()).toList());
    assertEquals(
        "f6310066c7320497ea554260c32c43660bff648cb2a61194832cc086077085e1",
        s.manifest().resources().get(0).hex());
  }

  @Test
  void changedExtraAndMissingFilesFailAndUnsignedCanBeIgnored() throws Exception {
    Path model = Files.createDirectories(dir.resolve("v0.2"));
    for (String f : List.of("signme-1", "signme-2", "model.sig")) {
      Files.copy(v020().resolve(f), model.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
      model.resolve(f).toFile().setWritable(true);
    }
    CertificateChainVerifier ca = interopCa(ValidityCheck.CURRENT_TIME);
    Files.writeString(model.resolve("notes.txt"), "unsigned");
    VerificationException extra =
        assertThrows(
            VerificationException.class,
            () -> ModelVerifier.verify(model, v020Bundle(), ca, "model.sig", List.of()));
    assertTrue(extra.getMessage().contains("extra (not signed): notes.txt"), extra.getMessage());
    VerificationResult ignoring =
        ModelVerifier.verify(model, v020Bundle(), ca, "model.sig", List.of(), UnsignedFiles.IGNORE);
    assertEquals(List.of("notes.txt"), ignoring.ignoredUnsignedFiles());
    assertEquals(StatementFormat.LEGACY_V0_2, ignoring.format());

    Files.writeString(model.resolve("signme-2"), "signme-X");
    VerificationException changed =
        assertThrows(
            VerificationException.class,
            () -> ModelVerifier.verify(model, v020Bundle(), ca, "model.sig", List.of("notes.txt")));
    assertTrue(changed.getMessage().contains("1 changed: signme-2"), changed.getMessage());

    Files.delete(model.resolve("signme-2"));
    VerificationException missing =
        assertThrows(
            VerificationException.class,
            () -> ModelVerifier.verify(model, v020Bundle(), ca, "model.sig", List.of("notes.txt")));
    assertTrue(missing.getMessage().contains("1 missing: signme-2"), missing.getMessage());
  }

  @Test
  void tamperedLegacyPayloadOrSignatureFails() {
    CertificateChainVerifier ca = interopCa(ValidityCheck.AT_NOT_BEFORE);
    for (byte[] bad :
        List.of(
            SignedModels.tamperPayload(v020Bundle()), SignedModels.tamperSignature(v020Bundle()))) {
      VerificationException e =
          assertThrows(
              VerificationException.class,
              () -> ModelVerifier.verify(v020(), bad, ca, "model.sig", List.of()));
      assertTrue(
          e.getMessage()
              .startsWith("signature of this model_signing v0.2 statement does not verify"),
          e.getMessage());
    }
  }

  /**
   * A current statement signed over the legacy encoding is not something any release made: the
   * legacy encoding is tried only for v0.2's predicate, and the reader refuses it for any other.
   */
  @Test
  void theLegacyEncodingIsNeverAcceptedForACurrentStatement() throws Exception {
    KeyPair kp = TestPki.ec("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] current = SignedModels.statement(model);
    byte[] bundle = legacyKeyBundle(kp, current);

    VerificationException e =
        assertThrows(
            VerificationException.class,
            () ->
                ModelVerifier.verify(
                    model, bundle, KeyVerifier.of(kp.getPublic()), null, List.of()));
    assertTrue(e.getMessage().startsWith("signature does not verify"), e.getMessage());

    VerificationException read =
        assertThrows(
            VerificationException.class,
            () -> StatementReader.read(current, DsseEncoding.LEGACY_V0_2));
    assertTrue(
        read.getMessage().contains("accepted only for v0.2's predicate 'https://model_signing/"),
        read.getMessage());

    // And a v0.2 statement over the standard encoding (as v0.2's Sigstore signer made) is still
    // read as legacy, never as current.
    byte[] v02Payload = BundleReader.read(v020Bundle()).envelope().payload();
    assertEquals(
        StatementFormat.LEGACY_V0_2,
        StatementReader.read(v02Payload, DsseEncoding.STANDARD).format());
    VerificationResult standard =
        ModelVerifier.verify(
            v020(),
            KeySigner.of(kp).sign(v02Payload),
            KeyVerifier.of(kp.getPublic()),
            "model.sig",
            List.of());
    assertEquals(StatementFormat.LEGACY_V0_2, standard.format());
  }

  /** v0.2-style signatures from fresh keys on every curve: always SHA-256 over the legacy PAE. */
  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void legacySignaturesOnEveryCurveVerify(String curve) throws Exception {
    KeyPair kp = TestPki.ec(curve);
    byte[] payload = BundleReader.read(v020Bundle()).envelope().payload();
    VerificationResult r =
        ModelVerifier.verify(
            v020(),
            legacyKeyBundle(kp, payload),
            KeyVerifier.of(kp.getPublic()),
            "model.sig",
            List.of());
    assertEquals(StatementFormat.LEGACY_V0_2, r.format());
  }

  @Test
  void legacySubjectsAreCheckedLikeResources() {
    String base =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":"
            + "\"https://model_signing/Digests/v0.1\",\"predicate\":{\"unused\":\"x\"},"
            + "\"subject\":[";
    String digest = "\"digest\":{\"sha256\":\"" + "ab".repeat(32) + "\"}";
    assertRefused(base + "]}", "statement subject is empty");
    assertRefused(
        base + "{\"name\":\"../up\"," + digest + "}]}", "subject '../up' is not a safe model path");
    assertRefused(
        base + "{\"name\":\"a\"," + digest + "},{\"name\":\"a\"," + digest + "}]}",
        "subject 'a' is listed twice");
    assertRefused(
        base
            + "{\"name\":\"a\","
            + digest
            + ",\"annotations\":{\"actual_hash_algorithm\":\"file-blake2b\"}}]}",
        "subject 'a' was hashed with 'file-blake2b'");
    assertRefused(
        base + "{\"name\":\"a\",\"digest\":{\"sha256\":\"abcd\"}}]}", "has 2 bytes; sha256");
    // No annotation: sha256 is implied, as v0.2 documents.
    String ok = base + "{\"name\":\"a\"," + digest + "}]}";
    assertEquals(
        "ab".repeat(32),
        StatementReader.read(ok.getBytes(StandardCharsets.UTF_8))
            .manifest()
            .resources()
            .get(0)
            .hex());
  }

  private static void assertRefused(String statement, String message) {
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> StatementReader.read(statement.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  /** A key bundle whose signature covers the legacy encoding with SHA-256, as v0.2 signed. */
  private static byte[] legacyKeyBundle(KeyPair kp, byte[] payload) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(kp.getPrivate());
    s.update(Dsse.legacyV02Pae(Statement.PAYLOAD_TYPE, payload));
    DsseEnvelope env = new DsseEnvelope(payload, Statement.PAYLOAD_TYPE, s.sign(), null);
    return BundleWriter.publicKeyBundle(env, KeySigner.of(kp).keyHint());
  }

  private static boolean verifies(String alg, PublicKey key, byte[] data, byte[] sig)
      throws Exception {
    Signature s = Signature.getInstance(alg);
    s.initVerify(key);
    s.update(data);
    return s.verify(sig);
  }
}
