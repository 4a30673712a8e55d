package dev.modelsigning.core.signing.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.signing.CertificateSigner;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.signing.TestPki.CertSpec;
import dev.modelsigning.core.testing.KeyBundleChecks;
import dev.modelsigning.core.testing.SigstoreJs;
import dev.modelsigning.core.testing.SoftHsm;
import dev.modelsigning.core.verify.CertificateChainVerifier;
import dev.modelsigning.core.verify.ValidityCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --signer=pkcs11} end to end. Real: SoftHSM2's PKCS#11 module loaded by the JDK's SunPKCS11
 * provider, a token initialised by softhsm2-util, keys generated inside it by pkcs11-tool (the
 * private keys never exist outside the token), the public keys exported by pkcs11-tool, our
 * verifier and sigstore-js. Stand-in: SoftHSM is a software token in place of an HSM; the
 * certificates come from a test CA (TestPki).
 */
class Pkcs11SignerTest {
  /** From surefire's environment (core/pom.xml), so pin-source=env: is tested for real. */
  private static final String ENV_PIN = "MODEL_SIGNING_TEST_TOKEN_PIN";

  @TempDir static Path shared;
  private static SoftHsm.Token token;
  private static String pin;
  private static Path pinFile;
  private static TestPki.Chain pki;

  @TempDir Path dir;

  @BeforeAll
  static void token() throws Exception {
    SoftHsm hsm = SoftHsm.get();
    pin = System.getenv(ENV_PIN);
    assertTrue(pin != null && !pin.isEmpty(), ENV_PIN + " is set by surefire (core/pom.xml)");
    token =
        hsm.initToken(
            "model-signing-" + UUID.randomUUID().toString().substring(0, 8), "so-" + pin, pin);
    pinFile = Files.writeString(shared.resolve("pin"), pin + "\n"); // as `echo $PIN > file` writes
    pki = TestPki.Chain.create("secp256r1");
    token.generateKeyPair("EC:prime256v1", "01", "p256");
    token.generateKeyPair("EC:secp384r1", "02", "p384");
    token.generateKeyPair("rsa:2048", "03", "rsa");
    token.generateKeyPair("EC:prime256v1", "04", "no-certificate");
    token.generateKeyPair("EC:prime256v1", "05", "by-id");
    certify("01", "p256");
    certify("02", "p384");
    certify("03", "rsa");
    certify("05", null);
  }

  /** Issues a CA certificate for the token's public key and stores it beside the key. */
  private static X509Certificate certify(String id, String label) {
    X509Certificate cert =
        TestPki.issue(
            CertSpec.of("CN=hsm-key-" + id + ",O=model-signing-tests", token.exportPublicKey(id)),
            pki.intermediate(),
            pki.intKey());
    token.writeCertificate(cert, id, label);
    return cert;
  }

  private static String uri(String selector, String pinSource) {
    return "pkcs11:token="
        + token.label()
        + ";slot-id="
        + token.slotId()
        + ";"
        + selector
        + ";type=private?module-path="
        + SoftHsm.MODULE
        + "&pin-source="
        + pinSource;
  }

  private static String uri(String selector) {
    return uri(selector, "file:" + pinFile);
  }

  @ParameterizedTest
  @CsvSource({"object=p256, 01", "object=p384, 02", "id=%05, 05"})
  void signsWithTheTokenKeyAndVerifiesWithTheKeyTheTokenExports(String selector, String id) {
    KeySigner signer = Pkcs11Signers.key(uri(selector), Pkcs11SigningKey.SOFTHSM2_MODULE);
    Path model = KeyBundleChecks.model(dir);
    KeyBundleChecks.signInPlace(model, signer);

    // Exported by pkcs11-tool from the token's public key object, not taken from our signer.
    PublicKey exported = token.exportPublicKey(id);
    KeyBundleChecks.assertVerifiesWithExportedKey(model, exported, dir);
    assertFalse(signer.publicKey().orElseThrow().toString().contains(pin));
  }

  @Test
  void pinFromAnEnvironmentVariable() {
    String uri = uri("object=p256", "env:" + ENV_PIN);
    Pkcs11SigningKey key = Pkcs11SigningKey.open(uri, null);
    // What a pipeline graph or a log would show of the key: the URI, naming the variable only.
    assertEquals(uri, key.toString());
    assertFalse(key.toString().contains(pin) || key.description().contains(pin));
    KeySigner signer = KeySigner.of(key);
    Path model = KeyBundleChecks.model(dir);
    KeyBundleChecks.signInPlace(model, signer);
    KeyBundleChecks.assertVerifiesWithExportedKey(model, token.exportPublicKey("01"), dir);
  }

  @Test
  void certificateFormCarriesTheChainAndVerifiesAgainstTheRoot() throws Exception {
    X509Certificate leaf = certifyOnly("01");
    Path leafPem = TestPki.write(dir.resolve("leaf.pem"), TestPki.pem(leaf));
    Path intermediatePem =
        TestPki.write(dir.resolve("intermediate.pem"), TestPki.pem(pki.intermediate()));
    Path rootPem = TestPki.write(dir.resolve("root.pem"), TestPki.pem(pki.root()));
    CertificateSigner signer =
        Pkcs11Signers.certificate(
            uri("object=p256"),
            Pkcs11SigningKey.SOFTHSM2_MODULE,
            leafPem,
            List.of(intermediatePem));

    Path model = KeyBundleChecks.model(dir);
    Path bundle = KeyBundleChecks.signInPlace(model, signer);

    JsonNode chain =
        Json.parse(Files.readAllBytes(bundle), "bundle")
            .at("/verificationMaterial/x509CertificateChain/certificates");
    assertEquals(2, chain.size());
    assertEquals(
        Base64.getEncoder().encodeToString(leaf.getEncoded()),
        chain.get(0).get("rawBytes").asText());
    String signedBy =
        KeyBundleChecks.verify(
                model,
                CertificateChainVerifier.fromPem(List.of(rootPem), ValidityCheck.CURRENT_TIME))
            .signer();
    assertTrue(signedBy.contains("CN=hsm-key-01"), signedBy);
    SigstoreJs.Result js = SigstoreJs.verifyWithCaChain(bundle, rootPem);
    assertTrue(js.ok(), "sigstore-js: " + js);
  }

  @Test
  void certificateOfAnotherKeyIsRefused() {
    X509Certificate other = certifyOnly("02"); // the P-384 key's certificate, not p256's
    Path otherPem = TestPki.write(dir.resolve("other.pem"), TestPki.pem(other));
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                Pkcs11Signers.certificate(
                    uri("object=p256"), Pkcs11SigningKey.SOFTHSM2_MODULE, otherPem, List.of()));
    KeyBundleChecks.assertOneLineWithout(e, "is for a different key than PKCS#11 key 'p256'", pin);
  }

  @Test
  void wrongPinIsOneLineWithoutEitherPinEvenAfterASuccessfulLogin() throws Exception {
    // A successful login first: the JDK would skip the next login if the session stayed open.
    Pkcs11Signers.key(uri("object=p256"), Pkcs11SigningKey.SOFTHSM2_MODULE);
    String wrong = "wrong-" + pin;
    Path wrongFile = Files.writeString(dir.resolve("wrong-pin"), wrong);
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                Pkcs11Signers.key(
                    uri("object=p256", "file:" + wrongFile), Pkcs11SigningKey.SOFTHSM2_MODULE));
    KeyBundleChecks.assertOneLineWithout(
        e, "wrong PIN (from the PIN file " + wrongFile + ")", pin, wrong);
  }

  @Test
  void missingKeyNamesTheLabelAndTheKeysTheTokenHas() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> Pkcs11Signers.key(uri("object=no-such-key"), Pkcs11SigningKey.SOFTHSM2_MODULE));
    KeyBundleChecks.assertOneLineWithout(e, "no private key labelled 'no-such-key'", pin);
    assertTrue(e.getMessage().contains("keys seen: 0x05, p256, p384, rsa"), e.getMessage());

    // A key the JDK cannot see (no certificate with its CKA_ID) gets the same, explained, refusal.
    InvalidInputException hidden =
        assertThrows(
            InvalidInputException.class,
            () ->
                Pkcs11Signers.key(uri("object=no-certificate"), Pkcs11SigningKey.SOFTHSM2_MODULE));
    KeyBundleChecks.assertOneLineWithout(hidden, "only with a certificate of the same CKA_ID", pin);
  }

  @Test
  void rsaKeyIsRefusedNamingItsType() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> Pkcs11Signers.key(uri("object=rsa"), Pkcs11SigningKey.SOFTHSM2_MODULE));
    KeyBundleChecks.assertOneLineWithout(
        e, "PKCS#11 key 'rsa' in PKCS#11 slot " + token.slotId(), pin);
    assertTrue(
        e.getMessage().endsWith("only EC keys on P-256, P-384, P-521 are supported; got RSA"),
        e.getMessage());
  }

  @Test
  void pinInTheUriIsRefusedWithoutRepeatingIt() {
    String secret = "7391-" + pin;
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                Pkcs11Signers.key(
                    "pkcs11:slot-id=" + token.slotId() + ";object=p256?pin-value=" + secret,
                    Pkcs11SigningKey.SOFTHSM2_MODULE));
    KeyBundleChecks.assertOneLineWithout(e, "pin-value is refused", secret);
  }

  @Test
  void missingSlotModuleOrPinSourceAreOneLineInputErrors() throws Exception {
    InvalidInputException slot =
        assertThrows(
            InvalidInputException.class,
            () ->
                Pkcs11Signers.key(
                    "pkcs11:slot-id=4242;object=p256?pin-source=file:" + pinFile,
                    Pkcs11SigningKey.SOFTHSM2_MODULE));
    KeyBundleChecks.assertOneLineWithout(slot, "cannot open PKCS#11 slot 4242", pin);

    InvalidInputException noSlot =
        assertThrows(
            InvalidInputException.class,
            () ->
                Pkcs11Signers.key(
                    "pkcs11:token=" + token.label() + ";object=p256?pin-source=file:" + pinFile,
                    Pkcs11SigningKey.SOFTHSM2_MODULE));
    KeyBundleChecks.assertOneLineWithout(noSlot, "needs slot-id=<n>", pin);

    InvalidInputException module =
        assertThrows(
            InvalidInputException.class,
            () ->
                Pkcs11Signers.key(
                    uri("object=p256").replace(SoftHsm.MODULE.toString(), "/nonexistent/p11.so"),
                    Pkcs11SigningKey.SOFTHSM2_MODULE));
    KeyBundleChecks.assertOneLineWithout(module, "'/nonexistent/p11.so' does not exist", pin);

    InvalidInputException noPinFile =
        assertThrows(
            InvalidInputException.class,
            () -> Pkcs11Signers.key(uri("object=p256", "file:" + dir.resolve("absent")), null));
    KeyBundleChecks.assertOneLineWithout(noPinFile, "does not exist", pin);

    InvalidInputException noPin =
        assertThrows(
            InvalidInputException.class,
            () ->
                Pkcs11Signers.key(
                    "pkcs11:slot-id=" + token.slotId() + ";object=p256",
                    Pkcs11SigningKey.SOFTHSM2_MODULE));
    KeyBundleChecks.assertOneLineWithout(noPin, "needs a PIN", pin);
  }

  private static X509Certificate certifyOnly(String id) {
    return TestPki.issue(
        CertSpec.of("CN=hsm-key-" + id + ",O=model-signing-tests", token.exportPublicKey(id)),
        pki.intermediate(),
        pki.intKey());
  }
}
