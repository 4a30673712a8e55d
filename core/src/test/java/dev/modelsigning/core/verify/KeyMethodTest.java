package dev.modelsigning.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.PublicKeyHint;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.signing.TestPki.KeyFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The key method end to end: sign a model directory, verify it, and every way it must fail. */
class KeyMethodTest {
  private static final char[] PASSWORD = "s3cret pass".toCharArray();

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "secp256r1, PKCS8",
    "secp256r1, SEC1",
    "secp256r1, ENCRYPTED_PKCS8",
    "secp256r1, LEGACY_ENCRYPTED_SEC1",
    "secp384r1, PKCS8",
    "secp384r1, SEC1",
    "secp384r1, ENCRYPTED_PKCS8",
    "secp384r1, LEGACY_ENCRYPTED_SEC1",
    "secp521r1, PKCS8",
    "secp521r1, SEC1",
    "secp521r1, ENCRYPTED_PKCS8",
    "secp521r1, LEGACY_ENCRYPTED_SEC1",
  })
  void signsAndVerifiesFromPemFiles(String curve, KeyFormat format) throws Exception {
    KeyPair kp = TestPki.ec(curve);
    Path keyFile =
        TestPki.write(dir.resolve("key.pem"), TestPki.privateKeyPem(kp, format, PASSWORD));
    Path pubFile = TestPki.write(dir.resolve("pub.pem"), TestPki.pem(kp.getPublic()));
    Path model = SignedModels.interopModel(dir, "model");

    KeySigner signer = KeySigner.fromPem(keyFile, PASSWORD.clone());
    byte[] bundle = SignedModels.signInPlace(model, signer);

    VerificationResult r = SignedModels.verifyInPlace(model, bundle, KeyVerifier.fromPem(pubFile));
    assertEquals("key sha256:" + PublicKeyHint.of(kp.getPublic()), r.signer());
    assertEquals("model", r.subjectName());
    assertEquals(
        "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4", r.subjectDigestHex());
    assertEquals(2, r.fileCount());
    assertEquals(17, r.byteCount());
    assertTrue(new String(bundle, StandardCharsets.UTF_8).contains("\"tlogEntries\":[]"));
  }

  @Test
  void symlinkAddedToASignedModelIsAVerificationFailureAndAMissingModelAUsageError()
      throws Exception {
    KeyPair kp = TestPki.ec("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, KeySigner.of(kp));
    KeyVerifier key = KeyVerifier.of(kp.getPublic());
    Files.createSymbolicLink(model.resolve("escape"), Path.of("../outside"));

    VerificationException refused =
        assertThrows(
            VerificationException.class, () -> SignedModels.verifyInPlace(model, bundle, key));
    assertTrue(refused.getMessage().contains("'escape' is a symlink"), refused.getMessage());

    Path missing = dir.resolve("no-such-model");
    assertThrows(
        InvalidInputException.class, () -> SignedModels.verifyInPlace(missing, bundle, key));
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void wrongKeyTamperedPayloadAndSignatureFail(String curve) {
    KeyPair kp = TestPki.ec(curve);
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, KeySigner.of(kp));
    KeyVerifier right = KeyVerifier.of(kp.getPublic());

    KeyVerifier other = KeyVerifier.of(TestPki.ec(curve).getPublic());
    VerificationException wrongKey =
        assertThrows(
            VerificationException.class, () -> SignedModels.verifyInPlace(model, bundle, other));
    assertTrue(
        wrongKey.getMessage().contains("the bundle names the signing key sha256:"),
        wrongKey.getMessage());

    VerificationException payload =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, SignedModels.tamperPayload(bundle), right));
    assertTrue(payload.getMessage().startsWith("signature does not verify"), payload.getMessage());

    VerificationException sig =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, SignedModels.tamperSignature(bundle), right));
    assertTrue(sig.getMessage().startsWith("signature does not verify"), sig.getMessage());
  }

  @Test
  void wrongKeyWithoutHintFailsOnTheSignature() {
    KeyPair kp = TestPki.ec("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    ObjectNode t = SignedModels.tree(SignedModels.signInPlace(model, KeySigner.of(kp)));
    ((ObjectNode) t.get("verificationMaterial").get("publicKey")).remove("hint");
    byte[] noHint = SignedModels.bytes(t);

    // Tolerated like model_signing: no hint, the configured key decides.
    assertEquals(
        2, SignedModels.verifyInPlace(model, noHint, KeyVerifier.of(kp.getPublic())).fileCount());
    KeyVerifier other = KeyVerifier.of(TestPki.ec("secp256r1").getPublic());
    VerificationException e =
        assertThrows(
            VerificationException.class, () -> SignedModels.verifyInPlace(model, noHint, other));
    assertTrue(
        e.getMessage().startsWith("signature does not verify with the configured public key"),
        e.getMessage());
  }

  /**
   * rawBytes as model_signing v0.3.1..v1.0.x wrote it (base64 of the PEM text) and as the Sigstore
   * bundle spec names it (the DER SubjectPublicKeyInfo): either way it must be the configured key.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void rawBytesKeyMustBeTheConfiguredKey(boolean pemText) {
    KeyPair kp = TestPki.ec("secp384r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, KeySigner.of(kp));
    byte[] withRaw = withRawBytes(bundle, rawBytes(kp.getPublic(), pemText));
    assertEquals(
        2, SignedModels.verifyInPlace(model, withRaw, KeyVerifier.of(kp.getPublic())).fileCount());

    byte[] otherRaw = withRawBytes(bundle, rawBytes(TestPki.ec("secp384r1").getPublic(), pemText));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, otherRaw, KeyVerifier.of(kp.getPublic())));
    assertTrue(
        e.getMessage().startsWith("the bundle carries the signing key sha256:"), e.getMessage());
  }

  private static byte[] rawBytes(java.security.PublicKey key, boolean pemText) {
    return pemText ? TestPki.pem(key).getBytes(StandardCharsets.US_ASCII) : key.getEncoded();
  }

  @Test
  void changedModelFileIsNamed() throws Exception {
    KeyPair kp = TestPki.ec("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, KeySigner.of(kp));
    Files.writeString(model.resolve("signme-2"), "changed!");
    Files.writeString(model.resolve("extra"), "x");
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> SignedModels.verifyInPlace(model, bundle, KeyVerifier.of(kp.getPublic())));
    assertTrue(e.getMessage().contains("changed: signme-2"), e.getMessage());
    assertTrue(e.getMessage().contains("extra (not signed): extra"), e.getMessage());
  }

  @Test
  void certificateBundleIsNotAKeyBundle() {
    TestPki.Chain chain = TestPki.Chain.create("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle =
        SignedModels.signInPlace(
            model,
            dev.modelsigning.core.signing.CertificateSigner.of(
                chain.leafKey(), chain.leaf(), java.util.List.of(chain.intermediate())));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () ->
                SignedModels.verifyInPlace(
                    model, bundle, KeyVerifier.of(chain.leafKey().getPublic())));
    assertTrue(e.getMessage().contains("not signed with the key method"), e.getMessage());
  }

  @Test
  void nonEcVerificationKeyIsRefusedUpFront() {
    KeyPair rsa = TestPki.generate("RSA", 2048);
    Path pub = TestPki.write(dir.resolve("rsa.pem"), TestPki.pem(rsa.getPublic()));
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> KeyVerifier.fromPem(pub));
    assertTrue(e.getMessage().contains("got RSA"), e.getMessage());
    InvalidInputException e2 = assertThrows(InvalidInputException.class, () -> KeySigner.of(rsa));
    assertTrue(e2.getMessage().contains("got RSA"), e2.getMessage());
  }

  private static byte[] withRawBytes(byte[] bundle, byte[] rawBytes) {
    ObjectNode t = SignedModels.tree(bundle);
    ObjectNode pk = (ObjectNode) t.get("verificationMaterial").get("publicKey");
    pk.remove("hint");
    pk.put("rawBytes", Base64.getEncoder().encodeToString(rawBytes));
    pk.put("keyDetails", "PKIX_ECDSA_P384_SHA_384");
    return SignedModels.bytes(t);
  }
}
