package dev.modelsigning.core.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.signing.TestPki.KeyFormat;
import dev.modelsigning.core.testing.Interop;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemKeysTest {
  private static final String INTEROP_HINT =
      "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e";
  private static final char[] PASSWORD = "correct horse".toCharArray();

  @TempDir Path dir;

  @Test
  void interopPublicKeyWithCerttoolTextGivesModelSigningHint() {
    PublicKey key = PemKeys.readPublicKey(Interop.certificateKeys().resolve("signing-key-pub.pem"));
    assertEquals(INTEROP_HINT, PublicKeyHint.of(key));
    assertEquals(EcSignatureScheme.P384, EcSignatureScheme.of(key));
    assertTrue(PublicKeyHint.pem(key).startsWith("-----BEGIN PUBLIC KEY-----\nMHYw"));
    assertTrue(PublicKeyHint.pem(key).endsWith("\n-----END PUBLIC KEY-----\n"));
  }

  @Test
  void interopSec1PrivateKeyWithTextBeforeMatchesItsPublicKeyAndCertificate() {
    KeyPair kp = PemKeys.readPrivateKey(Interop.certificateKeys().resolve("signing-key.pem"), null);
    assertEquals(INTEROP_HINT, PublicKeyHint.of(kp.getPublic()));
    List<X509Certificate> cert =
        PemKeys.readCertificates(Interop.certificateKeys().resolve("signing-key-cert.pem"));
    assertEquals(1, cert.size());
    assertTrue(PemKeys.sameKey(cert.get(0).getPublicKey(), kp.getPublic()));
  }

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void everyPrivateKeyFormatLoadsOnEveryCurve(KeyFormat format) {
    for (String curve : List.of("secp256r1", "secp384r1", "secp521r1")) {
      KeyPair kp = TestPki.ec(curve);
      Path file =
          TestPki.write(
              dir.resolve(curve + "-" + format + ".pem"),
              "some descriptive text first\n" + TestPki.privateKeyPem(kp, format, PASSWORD));
      KeyPair loaded = PemKeys.readPrivateKey(file, PASSWORD.clone());
      assertTrue(PemKeys.sameKey(kp.getPublic(), loaded.getPublic()), curve + " " + format);
      // The loaded private key signs something the original public key verifies.
      EcSignatureScheme scheme = EcSignatureScheme.of(kp.getPublic());
      byte[] sig = scheme.sign(loaded.getPrivate(), new byte[] {1, 2, 3});
      assertTrue(scheme.verify(kp.getPublic(), new byte[] {1, 2, 3}, sig));
    }
  }

  @Test
  void hashFollowsCurve() {
    assertEquals(
        "SHA256withECDSA",
        EcSignatureScheme.of(TestPki.ec("secp256r1").getPublic()).jcaAlgorithm());
    assertEquals(
        "SHA384withECDSA",
        EcSignatureScheme.of(TestPki.ec("secp384r1").getPublic()).jcaAlgorithm());
    assertEquals(
        "SHA512withECDSA",
        EcSignatureScheme.of(TestPki.ec("secp521r1").getPublic()).jcaAlgorithm());
  }

  @Test
  void rsaPrivateKeyIsRefusedInBothPemForms() {
    KeyPair rsa = TestPki.generate("RSA", 2048);
    Path pkcs8 =
        TestPki.write(dir.resolve("rsa.pem"), TestPki.privateKeyPem(rsa, KeyFormat.PKCS8, null));
    Path traditional = TestPki.write(dir.resolve("rsa-trad.pem"), TestPki.pem(rsa.getPrivate()));
    for (Path p : List.of(pkcs8, traditional)) {
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> PemKeys.readPrivateKey(p, null));
      assertTrue(
          e.getMessage().contains("only EC keys on P-256, P-384, P-521 are supported; got RSA"),
          e.getMessage());
    }
    Path pub = TestPki.write(dir.resolve("rsa-pub.pem"), TestPki.pem(rsa.getPublic()));
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> PemKeys.readPublicKey(pub));
    assertTrue(e.getMessage().contains("got RSA"), e.getMessage());
  }

  @Test
  void ed25519KeyIsRefused() {
    KeyPair ed = TestPki.generate("Ed25519", null);
    Path p = TestPki.write(dir.resolve("ed.pem"), TestPki.privateKeyPem(ed, KeyFormat.PKCS8, null));
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> PemKeys.readPrivateKey(p, null));
    assertTrue(e.getMessage().contains("; got Ed25519"), e.getMessage());
    Path pub = TestPki.write(dir.resolve("ed-pub.pem"), TestPki.pem(ed.getPublic()));
    e = assertThrows(InvalidInputException.class, () -> PemKeys.readPublicKey(pub));
    assertTrue(e.getMessage().contains("; got Ed25519"), e.getMessage());
  }

  @Test
  void otherCurveIsRefused() {
    KeyPair k1 = TestPki.generate("secp256k1", null);
    Path p = TestPki.write(dir.resolve("k1.pem"), TestPki.privateKeyPem(k1, KeyFormat.PKCS8, null));
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> PemKeys.readPrivateKey(p, null));
    assertTrue(e.getMessage().contains("on curve secp256k1"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(
      value = KeyFormat.class,
      names = {"ENCRYPTED_PKCS8", "LEGACY_ENCRYPTED_SEC1"})
  void encryptedKeyNeedsTheRightPassword(KeyFormat format) {
    KeyPair kp = TestPki.ec("secp256r1");
    Path p = TestPki.write(dir.resolve("enc.pem"), TestPki.privateKeyPem(kp, format, PASSWORD));
    InvalidInputException none =
        assertThrows(InvalidInputException.class, () -> PemKeys.readPrivateKey(p, null));
    assertTrue(none.getMessage().contains("is encrypted: a password is required"));
    char[] wrong = "Tr0ub4dor&3-secret".toCharArray();
    InvalidInputException bad =
        assertThrows(InvalidInputException.class, () -> PemKeys.readPrivateKey(p, wrong));
    assertTrue(bad.getMessage().contains("wrong password or corrupt key"), bad.getMessage());
    assertFalse(bad.getMessage().contains("Tr0ub4dor"), "never print the password");
  }

  @Test
  void missingFileNotPemAndWrongBlockAreClear() {
    InvalidInputException missing =
        assertThrows(
            InvalidInputException.class,
            () -> PemKeys.readPrivateKey(dir.resolve("nope.pem"), null));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

    Path text = TestPki.write(dir.resolve("text.pem"), "hello, not a key\n");
    InvalidInputException notPem =
        assertThrows(InvalidInputException.class, () -> PemKeys.readPrivateKey(text, null));
    assertTrue(notPem.getMessage().contains("no PEM private key block"), notPem.getMessage());

    Path broken =
        TestPki.write(
            dir.resolve("broken.pem"),
            "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");
    InvalidInputException bad =
        assertThrows(InvalidInputException.class, () -> PemKeys.readPrivateKey(broken, null));
    assertTrue(bad.getMessage().contains("not valid PEM"), bad.getMessage());

    KeyPair kp = TestPki.ec("secp256r1");
    Path pub = TestPki.write(dir.resolve("pub.pem"), TestPki.pem(kp.getPublic()));
    InvalidInputException wrongBlock =
        assertThrows(InvalidInputException.class, () -> PemKeys.readPrivateKey(pub, null));
    assertTrue(wrongBlock.getMessage().contains("found a public key"), wrongBlock.getMessage());
  }

  @Test
  void certificateFileWithTextBetweenBlocksKeepsOrder() {
    TestPki.Chain chain = TestPki.Chain.create("secp256r1");
    Path p =
        TestPki.write(
            dir.resolve("chain.pem"),
            "Leaf:\n"
                + TestPki.pem(chain.leaf())
                + "\nsubject=CN=test-intermediate\n"
                + TestPki.pem(chain.intermediate()));
    List<X509Certificate> certs = PemKeys.readCertificates(p);
    assertEquals(List.of(chain.leaf(), chain.intermediate()), certs);
  }

  @Test
  void canonicalSpkiIsTheJdkEncodingForNamedCurves() {
    KeyPair kp = TestPki.ec("secp384r1");
    assertArrayEquals(kp.getPublic().getEncoded(), PemKeys.canonicalSpki(kp.getPublic()));
  }
}
