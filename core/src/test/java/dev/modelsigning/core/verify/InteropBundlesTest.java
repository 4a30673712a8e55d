package dev.modelsigning.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.StatementFormat;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.testing.Interop;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every key and certificate bundle model_signing has written (v0.2.0 .. v1.1.0), and the OMS v1.0
 * vectors, verify here and their models re-hash to match. Read in place from shared/interop.
 */
class InteropBundlesTest {
  private static final String TWO_FILES =
      "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4";
  private static final String SINGLE_FILE =
      "afa48c8674afe334b8a7dea34f7b46ab256e9255edf8da2132792341b667a45b";
  private static final String HINT =
      "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e";

  @TempDir Path dir;

  private static KeyVerifier interopKey() {
    return KeyVerifier.fromPem(Interop.certificateKeys().resolve("signing-key-pub.pem"));
  }

  private static CertificateChainVerifier interopCa(ValidityCheck validity) {
    return CertificateChainVerifier.fromPem(
        List.of(Interop.certificateKeys().resolve("ca-cert.pem")), validity);
  }

  /**
   * @param model path under scripts/tests
   * @param signature the bundle's path relative to the model root, or "-" when outside it
   * @param ignore a user ignore path, or "-"
   */
  @ParameterizedTest
  @CsvSource({
    "v0.3.1-elliptic-key/signme-1, -, -, " + SINGLE_FILE + ", 1",
    "v1.0.0-elliptic-key/signme-1, -, -, " + SINGLE_FILE + ", 1",
    "v1.0.1-elliptic-key, model.sig, ignore-me, " + TWO_FILES + ", 2",
    "v1.1.0-elliptic-key, model.sig, -, " + TWO_FILES + ", 2",
  })
  void modelSigningKeyBundlesVerify(
      String model, String signature, String ignore, String digest, int files) {
    Path modelPath = Interop.releaseTests().resolve(model);
    Path bundle = Interop.releaseTests().resolve(model.split("/")[0]).resolve("model.sig");
    VerificationResult r =
        ModelVerifier.verify(
            modelPath,
            Interop.read(bundle),
            interopKey(),
            signature.equals("-") ? null : signature,
            ignore.equals("-") ? List.of() : List.of(ignore));
    assertEquals("key sha256:" + HINT, r.signer());
    assertEquals(StatementFormat.V1_0, r.format());
    assertEquals(digest, r.subjectDigestHex());
    assertEquals(files, r.fileCount());
  }

  @ParameterizedTest
  @CsvSource({
    "v0.3.1-certificate, -, AT_NOT_BEFORE",
    "v1.0.0-certificate, -, AT_NOT_BEFORE",
    "v1.0.1-certificate, ignore-me, AT_NOT_BEFORE",
    "v1.1.0-certificate, -, AT_NOT_BEFORE",
    "v0.3.1-certificate, -, CURRENT_TIME",
    "v1.0.0-certificate, -, CURRENT_TIME",
    "v1.0.1-certificate, ignore-me, CURRENT_TIME",
    "v1.1.0-certificate, -, CURRENT_TIME",
  })
  void modelSigningCertificateBundlesVerify(String model, String ignore, ValidityCheck validity) {
    Path modelPath = Interop.releaseTests().resolve(model);
    VerificationResult r =
        ModelVerifier.verify(
            modelPath,
            Interop.read(modelPath.resolve("model.sig")),
            interopCa(validity),
            "model.sig",
            ignore.equals("-") ? List.of() : List.of(ignore));
    // The interop leaf is self-issued: its subject is also CN=intermediate-ca.
    assertEquals("CN=intermediate-ca", r.signer());
    // signme-1 has no trailing newline in the certificate models.
    assertEquals(
        "61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226", r.subjectDigestHex());
    assertEquals(2, r.fileCount());
  }

  @Test
  void v101WithoutTheIgnorePathNamesTheExtraFile() {
    Path model = Interop.releaseTests().resolve("v1.0.1-elliptic-key");
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () ->
                ModelVerifier.verify(
                    model,
                    Interop.read(model.resolve("model.sig")),
                    interopKey(),
                    "model.sig",
                    List.of()));
    assertTrue(e.getMessage().contains("extra (not signed): ignore-me"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(ValidityCheck.class)
  void omsVectorsVerifyAgainstTheirModel(ValidityCheck validity) {
    Path model = SignedModels.interopModel(dir, "model");
    Path vectors = Interop.omsVectors().resolve("valid");
    VerificationResult key =
        ModelVerifier.verify(
            model, Interop.read(vectors.resolve("key.bundle.json")), interopKey(), null, List.of());
    assertEquals(TWO_FILES, key.subjectDigestHex());
    assertEquals("model", key.subjectName());
    VerificationResult cert =
        ModelVerifier.verify(
            model,
            Interop.read(vectors.resolve("certificate.bundle.json")),
            interopCa(validity),
            null,
            List.of());
    assertEquals(TWO_FILES, cert.subjectDigestHex());
  }

  @Test
  void omsWrongPredicateVectorFails() {
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle =
        Interop.read(Interop.omsVectors().resolve("invalid-payload/wrong-predicate.bundle.json"));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> ModelVerifier.verify(model, bundle, interopKey(), null, List.of()));
    assertTrue(e.getMessage().startsWith("signature does not verify"), e.getMessage());
  }

  /** v0.2's legacy format verifies too (details in {@link LegacyV02Test}), and says so. */
  @Test
  void v020LegacyBundleVerifiesAndIsReportedAsLegacy() {
    Path model = Interop.releaseTests().resolve("v0.2.0-certificate");
    VerificationResult r =
        ModelVerifier.verify(
            model,
            Interop.read(model.resolve("model.sig")),
            interopCa(ValidityCheck.AT_NOT_BEFORE),
            "model.sig",
            List.of());
    assertEquals(StatementFormat.LEGACY_V0_2, r.format());
    assertEquals(2, r.fileCount());
  }

  @Test
  void interopBundlesFailWithAnotherKeyOrCa() {
    KeyVerifier other = KeyVerifier.of(TestPki.ec("secp384r1").getPublic());
    Path hinted = Interop.releaseTests().resolve("v1.1.0-elliptic-key");
    VerificationException e1 =
        assertThrows(
            VerificationException.class,
            () ->
                ModelVerifier.verify(
                    hinted,
                    Interop.read(hinted.resolve("model.sig")),
                    other,
                    "model.sig",
                    List.of()));
    assertTrue(e1.getMessage().contains("names the signing key sha256:" + HINT), e1.getMessage());

    Path raw = Interop.releaseTests().resolve("v1.0.0-elliptic-key");
    VerificationException e2 =
        assertThrows(
            VerificationException.class,
            () ->
                ModelVerifier.verify(
                    raw.resolve("signme-1"),
                    Interop.read(raw.resolve("model.sig")),
                    other,
                    null,
                    List.of()));
    assertTrue(e2.getMessage().contains("carries the signing key sha256:" + HINT), e2.getMessage());

    Path cert = Interop.releaseTests().resolve("v1.1.0-certificate");
    CertificateChainVerifier otherCa =
        CertificateChainVerifier.of(
            List.of(TestPki.Chain.create("secp256r1").root()), ValidityCheck.CURRENT_TIME);
    VerificationException e3 =
        assertThrows(
            VerificationException.class,
            () ->
                ModelVerifier.verify(
                    cert,
                    Interop.read(cert.resolve("model.sig")),
                    otherCa,
                    "model.sig",
                    List.of()));
    assertTrue(e3.getMessage().contains("does not lead to a trusted CA"), e3.getMessage());
  }
}
