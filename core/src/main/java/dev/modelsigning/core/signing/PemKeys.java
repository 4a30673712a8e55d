package dev.modelsigning.core.signing;

import dev.modelsigning.core.InvalidInputException;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.jspecify.annotations.Nullable;

/**
 * Reads EC keys and X.509 certificates from PEM files the way users actually have them: PKCS#8,
 * SEC1 ({@code EC PRIVATE KEY}), encrypted PKCS#8 and OpenSSL's legacy encrypted SEC1, with any
 * text before or between the PEM blocks (GnuTLS certtool writes a description first).
 *
 * <p>Keys come back as JDK (SunEC) keys; BouncyCastle is used only to parse and decrypt, and is
 * never registered as a global provider.
 */
public final class PemKeys {
  /**
   * BouncyCastle as a provider object, never registered globally (also signs, see
   * EcSignatureScheme).
   */
  static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private PemKeys() {}

  /**
   * Loads an EC private key and derives its public key.
   *
   * @param password for encrypted keys; may be null for unencrypted ones (ignored for those)
   */
  public static KeyPair readPrivateKey(Path pemFile, char @Nullable [] password) {
    return readPrivateKey(Pem.read(pemFile, "private key"), password);
  }

  public static KeyPair readPrivateKey(Pem pem, char @Nullable [] password) {
    return parsePrivateKey(pem.text(), password, pem.source());
  }

  public static KeyPair parsePrivateKey(String pemText, char @Nullable [] password, String source) {
    String where = "private key '" + source + "'";
    try (PEMParser parser = new PEMParser(new StringReader(pemText))) {
      for (Object o = next(parser, where); o != null; o = next(parser, where)) {
        if (o instanceof ASN1ObjectIdentifier || o instanceof X9ECParameters) {
          continue; // an "EC PARAMETERS" block, as `openssl ecparam -genkey` writes before the key
        }
        return toKeyPair(decrypt(o, password, where), where);
      }
    } catch (IOException e) {
      throw notPem(where, e);
    }
    throw new InvalidInputException(where + " contains no PEM private key block");
  }

  /** Loads a public key from a PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo) block. */
  public static PublicKey readPublicKey(Path pemFile) {
    return readPublicKey(Pem.read(pemFile, "public key"));
  }

  public static PublicKey readPublicKey(Pem pem) {
    return parsePublicKey(pem.text(), pem.source());
  }

  public static PublicKey parsePublicKey(String pemText, String source) {
    String where = "public key '" + source + "'";
    try (PEMParser parser = new PEMParser(new StringReader(pemText))) {
      Object o = next(parser, where);
      if (o == null) {
        throw new InvalidInputException(where + " contains no PEM block");
      }
      if (!(o instanceof SubjectPublicKeyInfo spki)) {
        throw new InvalidInputException(
            where + " must be a PEM 'PUBLIC KEY' block, found " + describe(o));
      }
      try {
        EcSignatureScheme.forAlgorithm(
            spki.getAlgorithm().getAlgorithm(), parameters(spki.getAlgorithm()));
      } catch (InvalidInputException e) {
        throw new InvalidInputException(where + ": " + e.getMessage(), e);
      }
      return ecPublicKey(uncompressed(spki), where);
    } catch (IOException e) {
      throw notPem(where, e);
    }
  }

  /** Loads every certificate in a PEM file, in file order. */
  public static List<X509Certificate> readCertificates(Path pemFile) {
    return readCertificates(Pem.read(pemFile, "certificate"));
  }

  public static List<X509Certificate> readCertificates(Pem pem) {
    return parseCertificates(pem.text(), pem.source());
  }

  public static List<X509Certificate> parseCertificates(String pemText, String source) {
    String where = "certificate file '" + source + "'";
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pemText))) {
      for (Object o = next(parser, where); o != null; o = next(parser, where)) {
        if (!(o instanceof X509CertificateHolder holder)) {
          throw new InvalidInputException(
              where + " must hold only CERTIFICATE blocks, found " + describe(o));
        }
        out.add(Certificates.fromDer(holder.getEncoded()));
      }
    } catch (IOException e) {
      throw notPem(where, e);
    } catch (CertificateException e) {
      throw new InvalidInputException(where + " holds an unreadable certificate", e);
    }
    if (out.isEmpty()) {
      throw new InvalidInputException(where + " contains no PEM CERTIFICATE block");
    }
    return out;
  }

  /**
   * The key's SubjectPublicKeyInfo DER with a named curve and an uncompressed point: the form
   * Python {@code cryptography} writes, so hints and key comparisons agree across tools.
   */
  public static byte[] canonicalSpki(PublicKey key) {
    try {
      return uncompressed(SubjectPublicKeyInfo.getInstance(key.getEncoded())).getEncoded();
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException("the public key cannot be encoded: " + e.getMessage(), e);
    }
  }

  /** Whether two public keys are the same key, whatever provider or point encoding made them. */
  public static boolean sameKey(PublicKey a, PublicKey b) {
    return java.util.Arrays.equals(canonicalSpki(a), canonicalSpki(b));
  }

  private static Object next(PEMParser parser, String where) {
    try {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw notPem(where, e);
    }
  }

  private static PrivateKeyInfo decrypt(Object o, char @Nullable [] password, String where) {
    if (o instanceof PrivateKeyInfo pki) {
      return pki;
    }
    if (o instanceof PEMKeyPair pair) {
      return pair.getPrivateKeyInfo();
    }
    if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      requirePassword(password, where);
      try {
        return encrypted.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password));
      } catch (Exception e) {
        throw wrongPassword(where, e);
      }
    }
    if (o instanceof PEMEncryptedKeyPair encrypted) {
      requirePassword(password, where);
      try {
        return encrypted
            .decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password))
            .getPrivateKeyInfo();
      } catch (Exception e) {
        throw wrongPassword(where, e);
      }
    }
    throw new InvalidInputException(where + " must be a PEM private key, found " + describe(o));
  }

  private static KeyPair toKeyPair(PrivateKeyInfo pki, String where) {
    AlgorithmIdentifier alg = pki.getPrivateKeyAlgorithm();
    EcSignatureScheme scheme;
    try {
      scheme = EcSignatureScheme.forAlgorithm(alg.getAlgorithm(), parameters(alg));
    } catch (InvalidInputException e) {
      throw new InvalidInputException(where + ": " + e.getMessage(), e);
    }
    X9ECParameters curve = ECNamedCurveTable.getByOID(scheme.curveOid());
    BigInteger d;
    try {
      d = ECPrivateKey.getInstance(pki.parsePrivateKey()).getKey();
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(where + " is not a valid EC private key", e);
    }
    if (d.signum() <= 0 || d.compareTo(curve.getN()) >= 0) {
      throw new InvalidInputException(
          where + " is not a valid EC private key (scalar out of range)");
    }
    // The public key is recomputed from the scalar rather than trusted from the (optional) field
    // in the file: it feeds the hint and the certificate match, so it must be the real one.
    ECPoint q = curve.getG().multiply(d).normalize();
    AlgorithmIdentifier ecAlg =
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, scheme.curveOid());
    try {
      KeyFactory kf = KeyFactory.getInstance("EC");
      byte[] pkcs8 =
          new PrivateKeyInfo(ecAlg, new ECPrivateKey(curve.getN().bitLength(), d, null))
              .getEncoded();
      PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      PublicKey pub =
          kf.generatePublic(
              new X509EncodedKeySpec(
                  new SubjectPublicKeyInfo(ecAlg, q.getEncoded(false)).getEncoded()));
      return new KeyPair(pub, priv);
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidInputException(where + " cannot be loaded: " + e.getMessage(), e);
    }
  }

  private static PublicKey ecPublicKey(SubjectPublicKeyInfo spki, String where) {
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidInputException(where + " is not a valid EC public key", e);
    }
  }

  /** Re-encodes an EC point uncompressed (a no-op for the usual keys) after checking it. */
  private static SubjectPublicKeyInfo uncompressed(SubjectPublicKeyInfo spki) {
    ASN1Primitive params = parameters(spki.getAlgorithm());
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(spki.getAlgorithm().getAlgorithm())
        || !(params instanceof ASN1ObjectIdentifier oid)) {
      return spki;
    }
    X9ECParameters curve = ECNamedCurveTable.getByOID(oid);
    if (curve == null) {
      return spki;
    }
    try {
      ECPoint p = curve.getCurve().decodePoint(spki.getPublicKeyData().getOctets());
      return new SubjectPublicKeyInfo(spki.getAlgorithm(), p.getEncoded(false));
    } catch (RuntimeException e) {
      throw new InvalidInputException("the EC public key is not a point on its curve", e);
    }
  }

  private static @Nullable ASN1Primitive parameters(AlgorithmIdentifier alg) {
    return alg.getParameters() == null ? null : alg.getParameters().toASN1Primitive();
  }

  private static void requirePassword(char @Nullable [] password, String where) {
    if (password == null) {
      throw new InvalidInputException(where + " is encrypted: a password is required");
    }
  }

  /** Never includes the password, and says both causes: a wrong password looks like corruption. */
  private static InvalidInputException wrongPassword(String where, Exception e) {
    return new InvalidInputException(
        "cannot decrypt " + where + ": wrong password or corrupt key", e);
  }

  private static InvalidInputException notPem(String where, Exception e) {
    return new InvalidInputException(
        where + " is not valid PEM: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
  }

  private static String describe(Object o) {
    if (o instanceof SubjectPublicKeyInfo) {
      return "a public key";
    }
    if (o instanceof X509CertificateHolder) {
      return "a certificate";
    }
    if (o instanceof PEMKeyPair
        || o instanceof PrivateKeyInfo
        || o instanceof PKCS8EncryptedPrivateKeyInfo
        || o instanceof PEMEncryptedKeyPair) {
      return "a private key";
    }
    return "a " + o.getClass().getSimpleName() + " block";
  }
}
