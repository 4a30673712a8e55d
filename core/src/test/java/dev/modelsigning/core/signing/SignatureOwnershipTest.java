package dev.modelsigning.core.signing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.format.BundleWriter;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.Statement;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** "Is the bundle already at the destination this signer's signature of this statement?" */
class SignatureOwnershipTest {
  static final byte[] STATEMENT = statement("model-a");
  static final String IDENTITY = "https://github.com/org/repo/.github/workflows/sign.yml@main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";

  // ---- key method

  @Test
  void keyBundleBySameKeyOverSameStatementIsOurs() {
    KeyPair key = TestPki.ec("secp256r1");
    byte[] earlier = KeySigner.of(key).sign(STATEMENT);
    byte[] now = KeySigner.of(key).sign(STATEMENT);
    assertTrue(SignatureOwnership.isOurs(earlier, STATEMENT, now, Optional.of(key.getPublic())));
  }

  @Test
  void keyBundleByAnotherKeyIsNotOurs() {
    KeyPair key = TestPki.ec("secp256r1");
    byte[] foreign = KeySigner.of(TestPki.ec("secp384r1")).sign(STATEMENT);
    byte[] now = KeySigner.of(key).sign(STATEMENT);
    assertFalse(SignatureOwnership.isOurs(foreign, STATEMENT, now, Optional.of(key.getPublic())));
  }

  /** The hint is only a claim: a foreign signature carrying our hint is not ours. */
  @Test
  void keyBundleWithOurHintButAForeignSignatureIsNotOurs() {
    KeyPair key = TestPki.ec("secp256r1");
    KeySigner ours = KeySigner.of(key);
    KeySigner other = KeySigner.of(TestPki.ec("secp256r1"));
    byte[] forged =
        new String(other.sign(STATEMENT), StandardCharsets.UTF_8)
            .replace(other.keyHint(), ours.keyHint())
            .getBytes(StandardCharsets.UTF_8);
    byte[] now = ours.sign(STATEMENT);
    assertTrue(new String(forged, StandardCharsets.UTF_8).contains(ours.keyHint()));
    assertFalse(SignatureOwnership.isOurs(forged, STATEMENT, now, Optional.of(key.getPublic())));
  }

  @Test
  void keyBundleOfAnotherStatementIsNotOurs() {
    KeyPair key = TestPki.ec("secp256r1");
    byte[] earlier = KeySigner.of(key).sign(statement("model-b"));
    byte[] now = KeySigner.of(key).sign(STATEMENT);
    assertFalse(SignatureOwnership.isOurs(earlier, STATEMENT, now, Optional.of(key.getPublic())));
  }

  @Test
  void unreadableExistingFileIsNotOurs() {
    KeyPair key = TestPki.ec("secp256r1");
    byte[] now = KeySigner.of(key).sign(STATEMENT);
    assertFalse(
        SignatureOwnership.isOurs(
            "not a bundle".getBytes(StandardCharsets.UTF_8),
            STATEMENT,
            now,
            Optional.of(key.getPublic())));
  }

  // ---- certificate method

  @Test
  void certificateBundleWithSameLeafIsOurs() {
    TestPki.Chain chain = TestPki.Chain.create("secp256r1");
    CertificateSigner signer = certificateSigner(chain);
    byte[] earlier = signer.sign(STATEMENT);
    assertTrue(
        SignatureOwnership.isOurs(earlier, STATEMENT, signer.sign(STATEMENT), signer.publicKey()));
  }

  @Test
  void certificateBundleWithAnotherLeafIsNotOurs() {
    CertificateSigner ours = certificateSigner(TestPki.Chain.create("secp256r1"));
    byte[] foreign = certificateSigner(TestPki.Chain.create("secp256r1")).sign(STATEMENT);
    assertFalse(
        SignatureOwnership.isOurs(foreign, STATEMENT, ours.sign(STATEMENT), ours.publicKey()));
  }

  @Test
  void keyBundleIsNotOursWhenWeSignWithACertificate() {
    TestPki.Chain chain = TestPki.Chain.create("secp256r1");
    CertificateSigner ours = certificateSigner(chain);
    byte[] keyBundle = KeySigner.of(chain.leafKey()).sign(STATEMENT);
    assertFalse(
        SignatureOwnership.isOurs(keyBundle, STATEMENT, ours.sign(STATEMENT), ours.publicKey()));
  }

  // ---- keyless (a fresh key and leaf per attempt)

  @Test
  void keylessBundleForTheSameIdentityIsOurs() {
    byte[] earlier = keyless(IDENTITY, ISSUER, STATEMENT);
    byte[] now = keyless(IDENTITY, ISSUER, STATEMENT);
    assertTrue(SignatureOwnership.isOurs(earlier, STATEMENT, now, Optional.empty()));
  }

  @Test
  void keylessBundleForAnotherIdentityIsNotOurs() {
    byte[] foreign = keyless("https://github.com/other/repo/.github/workflows/x.yml@main", ISSUER);
    byte[] now = keyless(IDENTITY, ISSUER, STATEMENT);
    assertFalse(SignatureOwnership.isOurs(foreign, STATEMENT, now, Optional.empty()));
  }

  @Test
  void keylessBundleFromAnotherIssuerIsNotOurs() {
    byte[] foreign = keyless(IDENTITY, "https://accounts.google.com");
    byte[] now = keyless(IDENTITY, ISSUER, STATEMENT);
    assertFalse(SignatureOwnership.isOurs(foreign, STATEMENT, now, Optional.empty()));
  }

  @Test
  void keylessBundleOfAnotherStatementIsNotOurs() {
    byte[] earlier = keyless(IDENTITY, ISSUER, statement("model-b"));
    byte[] now = keyless(IDENTITY, ISSUER, STATEMENT);
    assertFalse(SignatureOwnership.isOurs(earlier, STATEMENT, now, Optional.empty()));
  }

  /** Same identity on the leaf, but the signature is not by the leaf's key. */
  @Test
  void keylessBundleWhoseSignatureIsNotByItsLeafIsNotOurs() {
    KeyPair leafKey = TestPki.ec("secp256r1");
    X509Certificate leaf = fulcioLeaf(leafKey.getPublic(), IDENTITY, ISSUER);
    byte[] forged = keylessBundle(leaf, TestPki.ec("secp256r1"), STATEMENT);
    byte[] now = keyless(IDENTITY, ISSUER, STATEMENT);
    assertFalse(SignatureOwnership.isOurs(forged, STATEMENT, now, Optional.empty()));
  }

  // ---- helpers

  private static byte[] statement(String model) {
    return ("{\"_type\":\"" + Statement.TYPE + "\",\"subject\":[{\"name\":\"" + model + "\"}]}")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static CertificateSigner certificateSigner(TestPki.Chain chain) {
    return CertificateSigner.of(chain.leafKey(), chain.leaf(), List.of(chain.intermediate()));
  }

  private static byte[] keyless(String identity, String issuer) {
    return keyless(identity, issuer, STATEMENT);
  }

  /** A keyless bundle as one signing attempt makes it: fresh key, leaf for the identity. */
  private static byte[] keyless(String identity, String issuer, byte[] statement) {
    KeyPair key = TestPki.ec("secp256r1");
    return keylessBundle(fulcioLeaf(key.getPublic(), identity, issuer), key, statement);
  }

  private static byte[] keylessBundle(X509Certificate leaf, KeyPair signingKey, byte[] statement) {
    byte[] signature =
        SigningKey.of(signingKey).signDer(Dsse.pae(Statement.PAYLOAD_TYPE, statement));
    DsseEnvelope envelope = new DsseEnvelope(statement, Statement.PAYLOAD_TYPE, signature, "");
    // The log entry is not looked at: ownership is decided by signer and statement alone.
    var entry = Json.MAPPER.createObjectNode().put("logIndex", "1");
    return BundleWriter.keylessBundle(envelope, Certificates.der(leaf), entry, List.of());
  }

  /** A leaf shaped like Fulcio's: URI SAN, both issuer extensions; self-signed (not checked). */
  private static X509Certificate fulcioLeaf(PublicKey key, String identity, String issuer) {
    try {
      KeyPair ca = TestPki.ec("secp256r1");
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              new X500Name("CN=sigstore-intermediate"),
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(Duration.ofMinutes(1))),
              Date.from(now.plus(Duration.ofMinutes(10))),
              new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
              key);
      b.addExtension(
          Extension.subjectAlternativeName,
          true,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identity)));
      b.addExtension(
          new ASN1ObjectIdentifier(FulcioOids.LEGACY_ISSUER),
          false,
          issuer.getBytes(StandardCharsets.UTF_8));
      b.addExtension(new ASN1ObjectIdentifier(FulcioOids.ISSUER), false, new DERUTF8String(issuer));
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
