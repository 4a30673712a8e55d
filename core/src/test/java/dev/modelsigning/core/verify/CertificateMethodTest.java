package dev.modelsigning.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleWriter;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.Statement;
import dev.modelsigning.core.signing.CertificateSigner;
import dev.modelsigning.core.signing.EcSignatureScheme;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.signing.TestPki.CertSpec;
import dev.modelsigning.core.signing.TestPki.Chain;
import dev.modelsigning.core.signing.TestPki.KeyFormat;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The certificate method end to end with a root → intermediate → leaf PKI made in the test. */
class CertificateMethodTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void signsFromPemFilesAndVerifiesAgainstTheRoot(String curve) throws Exception {
    Chain chain =
        Chain.create(curve, CertSpec.of("CN=ml-team,O=Example", null).email("ml@example.com"));
    Path key =
        TestPki.write(
            dir.resolve("leaf-key.pem"),
            TestPki.privateKeyPem(chain.leafKey(), KeyFormat.SEC1, null));
    Path leaf = TestPki.write(dir.resolve("leaf.pem"), TestPki.pem(chain.leaf()));
    // The chain file also holds the root: it is left out of the bundle.
    Path chainFile =
        TestPki.write(
            dir.resolve("chain.pem"),
            TestPki.pem(chain.intermediate()) + "root follows\n" + TestPki.pem(chain.root()));
    Path rootFile = TestPki.write(dir.resolve("root.pem"), TestPki.pem(chain.root()));
    Path model = SignedModels.interopModel(dir, "model");

    byte[] bundle =
        SignedModels.signInPlace(
            model, CertificateSigner.fromPem(key, null, leaf, List.of(chainFile)));
    assertEquals(
        2,
        SignedModels.tree(bundle)
            .get("verificationMaterial")
            .get("x509CertificateChain")
            .get("certificates")
            .size());

    VerificationResult r =
        SignedModels.verifyInPlace(
            model,
            bundle,
            CertificateChainVerifier.fromPem(List.of(rootFile), ValidityCheck.CURRENT_TIME));
    assertEquals(
        chain.leaf().getSubjectX500Principal().getName() + " (SAN email:ml@example.com)",
        r.signer());
    assertEquals(2, r.fileCount());

    VerificationException payload =
        assertThrows(
            VerificationException.class,
            () ->
                SignedModels.verifyInPlace(model, SignedModels.tamperPayload(bundle), root(chain)));
    assertTrue(payload.getMessage().startsWith("signature does not verify"), payload.getMessage());
    VerificationException sig =
        assertThrows(
            VerificationException.class,
            () ->
                SignedModels.verifyInPlace(
                    model, SignedModels.tamperSignature(bundle), root(chain)));
    assertTrue(sig.getMessage().startsWith("signature does not verify"), sig.getMessage());
  }

  @Test
  void wrongCaIsRejected() {
    Chain chain = Chain.create("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, signer(chain));
    Chain other = Chain.create("secp256r1");
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, bundle, root(other)));
    assertTrue(e.getMessage().contains("does not lead to a trusted CA"), e.getMessage());
  }

  @Test
  void signatureByAnotherKeyThanTheLeafIsRejected() {
    Chain chain = Chain.create("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] statement = SignedModels.statement(model);
    KeyPair intruder = TestPki.ec("secp256r1");
    byte[] sig =
        EcSignatureScheme.P256.sign(
            intruder.getPrivate(), Dsse.pae(Statement.PAYLOAD_TYPE, statement));
    byte[] bundle =
        BundleWriter.certificateChainBundle(
            new DsseEnvelope(statement, Statement.PAYLOAD_TYPE, sig, ""),
            List.of(der(chain.leaf()), der(chain.intermediate())));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, bundle, root(chain)));
    assertTrue(
        e.getMessage().startsWith("signature does not verify with the signing certificate"),
        e.getMessage());
  }

  @Test
  void certificateForAnotherKeyIsRefusedAtSigning() {
    Chain chain = Chain.create("secp384r1");
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                CertificateSigner.of(
                    TestPki.ec("secp384r1"), chain.leaf(), List.of(chain.intermediate())));
    assertTrue(e.getMessage().contains("is for a different key"), e.getMessage());
  }

  @Test
  void misorderedChainIsRefusedAtSigning() {
    Chain chain = Chain.create("secp256r1");
    Chain other = Chain.create("secp256r1");
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                CertificateSigner.of(chain.leafKey(), chain.leaf(), List.of(other.intermediate())));
    assertTrue(e.getMessage().contains("chain is not in order"), e.getMessage());
  }

  @Test
  void expiredLeafFailsNowButPassesAtNotBefore() {
    Instant now = Instant.now();
    Chain chain =
        Chain.create(
            "secp256r1",
            CertSpec.of("CN=expired", null)
                .valid(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, signer(chain));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, bundle, root(chain)));
    assertTrue(
        e.getMessage().contains("the signing certificate 'CN=expired' has expired"),
        e.getMessage());
    assertTrue(e.getMessage().contains("(now)"), e.getMessage());

    CertificateChainVerifier atNotBefore =
        CertificateChainVerifier.of(List.of(chain.root()), ValidityCheck.AT_NOT_BEFORE);
    assertEquals("CN=expired", SignedModels.verifyInPlace(model, bundle, atNotBefore).signer());
  }

  @Test
  void notYetValidLeafFails() {
    Instant now = Instant.now();
    Chain chain =
        Chain.create(
            "secp256r1",
            CertSpec.of("CN=future", null)
                .valid(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))));
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, signer(chain));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, bundle, root(chain)));
    assertTrue(e.getMessage().contains("'CN=future' is not yet valid"), e.getMessage());
  }

  @Test
  void atNotBeforeStillNeedsTheIntermediateValidThen() {
    Chain chain = Chain.create("secp256r1");
    // A leaf whose notBefore precedes the intermediate's: the chain was never valid at once.
    Instant early = chain.intermediate().getNotBefore().toInstant().minus(Duration.ofDays(1));
    Chain backdated =
        chain.reissue(
            "secp256r1",
            CertSpec.of("CN=backdated", null).valid(early, Instant.now().plus(Duration.ofDays(1))));
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, signer(backdated));
    CertificateChainVerifier atNotBefore =
        CertificateChainVerifier.of(List.of(chain.root()), ValidityCheck.AT_NOT_BEFORE);
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, bundle, atNotBefore));
    assertTrue(e.getMessage().contains("'CN=test-intermediate' is not yet valid"), e.getMessage());
    assertTrue(e.getMessage().contains("the leaf's notBefore"), e.getMessage());
  }

  @Test
  void leafMustBeForSigning() {
    Chain base = Chain.create("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");

    Chain noSig = base.reissue("secp256r1", CertSpec.of("CN=no-sign", null).noDigitalSignature());
    byte[] b1 = SignedModels.signInPlace(model, signer(noSig));
    VerificationException e1 =
        assertThrows(
            VerificationException.class, () -> SignedModels.verifyInPlace(model, b1, root(base)));
    assertTrue(e1.getMessage().contains("does not allow digitalSignature"), e1.getMessage());

    Chain tls =
        base.reissue("secp256r1", CertSpec.of("CN=tls", null).eku(KeyPurposeId.id_kp_serverAuth));
    byte[] b2 = SignedModels.signInPlace(model, signer(tls));
    VerificationException e2 =
        assertThrows(
            VerificationException.class, () -> SignedModels.verifyInPlace(model, b2, root(base)));
    assertTrue(e2.getMessage().contains("is not for code signing"), e2.getMessage());

    Chain noEku = base.reissue("secp256r1", CertSpec.of("CN=no-eku", null).eku(null));
    byte[] b3 = SignedModels.signInPlace(model, signer(noEku));
    assertEquals("CN=no-eku", SignedModels.verifyInPlace(model, b3, root(base)).signer());
  }

  @Test
  void intermediateMayAlsoBeATrustAnchor() {
    Chain chain = Chain.create("secp384r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, signer(chain));
    for (List<X509Certificate> anchors :
        List.of(List.of(chain.root(), chain.intermediate()), List.of(chain.intermediate()))) {
      CertificateChainVerifier v = CertificateChainVerifier.of(anchors, ValidityCheck.CURRENT_TIME);
      assertEquals(
          "O=model-signing-tests,CN=test-leaf",
          SignedModels.verifyInPlace(model, bundle, v).signer());
    }
  }

  @Test
  void bundleThatAlsoCarriesTheRootVerifies() {
    // model_signing copies every certificate of the chain files, root included, into the bundle.
    Chain chain = Chain.create("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] statement = SignedModels.statement(model);
    byte[] sig =
        EcSignatureScheme.P256.sign(
            chain.leafKey().getPrivate(), Dsse.pae(Statement.PAYLOAD_TYPE, statement));
    byte[] bundle =
        BundleWriter.certificateChainBundle(
            new DsseEnvelope(statement, Statement.PAYLOAD_TYPE, sig, ""),
            List.of(der(chain.leaf()), der(chain.intermediate()), der(chain.root())));
    assertEquals(2, SignedModels.verifyInPlace(model, bundle, root(chain)).fileCount());
  }

  @Test
  void bundleWithoutTheIntermediateDoesNotChainToTheRoot() {
    Chain chain = Chain.create("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle =
        SignedModels.signInPlace(
            model, CertificateSigner.of(chain.leafKey(), chain.leaf(), List.of()));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, bundle, root(chain)));
    assertTrue(e.getMessage().contains("does not lead to a trusted CA"), e.getMessage());
  }

  @Test
  void keyBundleIsNotACertificateBundle() {
    Chain chain = Chain.create("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle =
        SignedModels.signInPlace(
            model, dev.modelsigning.core.signing.KeySigner.of(chain.leafKey()));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, bundle, root(chain)));
    assertTrue(e.getMessage().contains("not signed with the certificate method"), e.getMessage());
  }

  private static CertificateSigner signer(Chain chain) {
    return CertificateSigner.of(chain.leafKey(), chain.leaf(), List.of(chain.intermediate()));
  }

  private static CertificateChainVerifier root(Chain chain) {
    return CertificateChainVerifier.of(List.of(chain.root()), ValidityCheck.CURRENT_TIME);
  }

  private static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
