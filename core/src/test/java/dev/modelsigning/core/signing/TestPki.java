package dev.modelsigning.core.signing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys, PEM files and small CAs generated in tests (no fixtures checked in, no network). */
public final class TestPki {
  public static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  /** How a private key is written to PEM. */
  public enum KeyFormat {
    PKCS8,
    SEC1,
    ENCRYPTED_PKCS8,
    LEGACY_ENCRYPTED_SEC1
  }

  private TestPki() {}

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair generate(String algorithm, Object param) {
    try {
      KeyPairGenerator g =
          algorithm.equals("secp256k1")
              ? KeyPairGenerator.getInstance("EC", BC)
              : KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("secp256k1")) {
        g.initialize(new ECGenParameterSpec("secp256k1"));
      } else if (param instanceof Integer bits) {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String privateKeyPem(KeyPair kp, KeyFormat format, char[] password) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      switch (format) {
        case PKCS8 -> w.writeObject(new JcaPKCS8Generator(kp.getPrivate(), null));
        case SEC1 -> w.writeObject(bcKey(kp)); // BC writes EC keys as "EC PRIVATE KEY"
        case ENCRYPTED_PKCS8 ->
            w.writeObject(
                new JcaPKCS8Generator(
                    kp.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(BC)
                        .setRandom(new SecureRandom())
                        .setPassword(password)
                        .build()));
        case LEGACY_ENCRYPTED_SEC1 ->
            w.writeObject(
                bcKey(kp),
                new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build(password));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /**
   * The key as a BouncyCastle key: the JDK's PKCS#8 omits the curve inside the inner SEC1
   * structure, so BC would write an "EC PRIVATE KEY" without a curve (which OpenSSL cannot read
   * either). BC's own keys carry it, like OpenSSL and Python write.
   */
  private static java.security.PrivateKey bcKey(KeyPair kp) throws GeneralSecurityException {
    if (!kp.getPrivate().getAlgorithm().equals("EC")) {
      return kp.getPrivate();
    }
    return java.security.KeyFactory.getInstance("EC", BC)
        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(kp.getPrivate().getEncoded()));
  }

  public static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A certificate to issue; defaults make a valid signing leaf for one day around now. */
  public static final class CertSpec {
    String subject = "CN=test-leaf";
    PublicKey key;
    Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    Instant notAfter = Instant.now().plus(Duration.ofDays(1));
    boolean ca = false;
    boolean digitalSignature = true;
    KeyPurposeId eku = KeyPurposeId.id_kp_codeSigning;
    String emailSan = null;

    public static CertSpec of(String subject, PublicKey key) {
      CertSpec s = new CertSpec();
      s.subject = subject;
      s.key = key;
      return s;
    }

    public CertSpec ca() {
      this.ca = true;
      this.digitalSignature = false;
      this.eku = null;
      return this;
    }

    public CertSpec valid(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    public CertSpec noDigitalSignature() {
      this.digitalSignature = false;
      return this;
    }

    public CertSpec eku(KeyPurposeId purpose) {
      this.eku = purpose;
      return this;
    }

    public CertSpec email(String email) {
      this.emailSan = email;
      return this;
    }
  }

  /** Issues {@code spec}, signed by {@code issuerKey}; {@code issuer} null means self-signed. */
  public static X509Certificate issue(CertSpec spec, X509Certificate issuer, KeyPair issuerKey) {
    try {
      X500Name issuerName =
          issuer == null
              ? new X500Name(spec.subject)
              : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuerName,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(spec.notBefore),
              Date.from(spec.notAfter),
              new X500Name(spec.subject),
              spec.key);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.ca));
      int usage = 0;
      if (spec.ca) {
        usage |= KeyUsage.keyCertSign | KeyUsage.cRLSign;
      }
      if (spec.digitalSignature) {
        usage |= KeyUsage.digitalSignature;
      } else if (!spec.ca) {
        usage |= KeyUsage.keyAgreement; // a keyUsage that does not allow signing
      }
      if (usage != 0) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
      }
      if (spec.eku != null) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(spec.eku));
      }
      if (spec.emailSan != null) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(new GeneralName(GeneralName.rfc822Name, spec.emailSan)));
      }
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spec.key));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          issuer == null
              ? ext.createAuthorityKeyIdentifier(spec.key)
              : ext.createAuthorityKeyIdentifier(issuer));
      ContentSigner signer =
          new JcaContentSignerBuilder(
                  issuerKey.getPrivate().getAlgorithm().equals("RSA")
                      ? "SHA256withRSA"
                      : "SHA256withECDSA")
              .build(issuerKey.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A root → intermediate → leaf PKI; the leaf's key is on {@code leafCurve}. */
  public record Chain(
      KeyPair rootKey,
      X509Certificate root,
      KeyPair intKey,
      X509Certificate intermediate,
      KeyPair leafKey,
      X509Certificate leaf) {

    public static Chain create(String leafCurve) {
      return create(leafCurve, CertSpec.of("CN=test-leaf,O=model-signing-tests", null));
    }

    /** {@code leafSpec}'s key is replaced by a fresh key on {@code leafCurve}. */
    public static Chain create(String leafCurve, CertSpec leafSpec) {
      Instant now = Instant.now();
      KeyPair rootKey = ec("secp384r1");
      X509Certificate root =
          issue(
              CertSpec.of("CN=test-root", rootKey.getPublic())
                  .ca()
                  .valid(now.minus(Duration.ofDays(3650)), now.plus(Duration.ofDays(3650))),
              null,
              rootKey);
      KeyPair intKey = ec("secp256r1");
      X509Certificate intermediate =
          issue(
              CertSpec.of("CN=test-intermediate", intKey.getPublic())
                  .ca()
                  .valid(now.minus(Duration.ofDays(3000)), now.plus(Duration.ofDays(3000))),
              root,
              rootKey);
      return withLeaf(rootKey, root, intKey, intermediate, leafCurve, leafSpec);
    }

    /** Another leaf under the same CAs. */
    public Chain reissue(String leafCurve, CertSpec leafSpec) {
      return withLeaf(rootKey, root, intKey, intermediate, leafCurve, leafSpec);
    }

    private static Chain withLeaf(
        KeyPair rootKey,
        X509Certificate root,
        KeyPair intKey,
        X509Certificate intermediate,
        String leafCurve,
        CertSpec leafSpec) {
      KeyPair leafKey = ec(leafCurve);
      leafSpec.key = leafKey.getPublic();
      X509Certificate leaf = issue(leafSpec, intermediate, intKey);
      return new Chain(rootKey, root, intKey, intermediate, leafKey, leaf);
    }
  }
}
