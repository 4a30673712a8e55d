package dev.modelsigning.core.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Key and certificate plumbing shared by the loopback services. */
final class TestKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestKeys() {}

  static KeyPair p256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key);
      signer.update(data);
      return signer.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  static X509Certificate toJava(X509CertificateHolder holder) {
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A CA certificate; self-signed when {@code issuer} is null. */
  static X509Certificate caCertificate(
      String commonName,
      KeyPair key,
      X509Certificate issuer,
      PrivateKey issuerKey,
      Instant notBefore,
      Instant notAfter) {
    try {
      X500Name subject = new X500Name("O=loopback.test,CN=" + commonName);
      X500Name issuerName =
          issuer == null
              ? subject
              : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
      var utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              serial(),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              key.getPublic());
      builder.addExtension(
          Extension.basicConstraints, true, new BasicConstraints(issuer == null ? 1 : 0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key.getPublic()));
      if (issuer != null) {
        builder.addExtension(
            Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
      }
      PrivateKey signingKey = issuer == null ? key.getPrivate() : issuerKey;
      return toJava(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
