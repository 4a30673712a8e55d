package dev.modelsigning.core.signing;

import dev.modelsigning.core.InvalidInputException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.jspecify.annotations.Nullable;

/**
 * The ECDSA variants model_signing uses. The hash follows the curve (as Python {@code
 * model_signing} and Sigstore's key details do), so a P-384 key always signs with SHA-384; the
 * signature is ASN.1 DER, as DSSE and Sigstore expect.
 */
public enum EcSignatureScheme {
  P256(
      "P-256",
      SECObjectIdentifiers.secp256r1,
      "SHA-256",
      "SHA256withECDSA",
      "PKIX_ECDSA_P256_SHA_256"),
  P384(
      "P-384",
      SECObjectIdentifiers.secp384r1,
      "SHA-384",
      "SHA384withECDSA",
      "PKIX_ECDSA_P384_SHA_384"),
  P521(
      "P-521",
      SECObjectIdentifiers.secp521r1,
      "SHA-512",
      "SHA512withECDSA",
      "PKIX_ECDSA_P521_SHA_512");

  static final String SUPPORTED = "only EC keys on P-256, P-384, P-521 are supported";

  private final String curveName;
  private final ASN1ObjectIdentifier curveOid;
  private final String digestAlgorithm;
  private final String jcaAlgorithm;
  private final String keyDetails;

  EcSignatureScheme(
      String curveName,
      ASN1ObjectIdentifier curveOid,
      String digestAlgorithm,
      String jcaAlgorithm,
      String keyDetails) {
    this.curveName = curveName;
    this.curveOid = curveOid;
    this.digestAlgorithm = digestAlgorithm;
    this.jcaAlgorithm = jcaAlgorithm;
    this.keyDetails = keyDetails;
  }

  public String curveName() {
    return curveName;
  }

  /** The JCA name of the curve's hash, e.g. {@code SHA-384}. */
  public String digestAlgorithm() {
    return digestAlgorithm;
  }

  /**
   * The curve's hash of {@code data}: what a vault that signs digests (a cloud KMS) is sent, so its
   * signature equals {@link #sign} over {@code data}.
   */
  public byte[] digest(byte[] data) {
    try {
      return MessageDigest.getInstance(digestAlgorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + digestAlgorithm, e);
    }
  }

  /** The JCA signature algorithm, e.g. {@code SHA384withECDSA}. */
  public String jcaAlgorithm() {
    return jcaAlgorithm;
  }

  /** Sigstore's {@code PublicKeyDetails} name for this scheme. */
  public String keyDetails() {
    return keyDetails;
  }

  ASN1ObjectIdentifier curveOid() {
    return curveOid;
  }

  /**
   * The scheme for a public key. Throws {@link InvalidInputException} for anything that is not EC
   * on one of the three NIST curves; verifiers re-throw it as a verification failure when the key
   * came from a bundle.
   */
  public static EcSignatureScheme of(PublicKey key) {
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
    } catch (RuntimeException e) {
      throw new InvalidInputException(SUPPORTED + "; the key could not be decoded", e);
    }
    return forAlgorithm(
        spki.getAlgorithm().getAlgorithm(),
        spki.getAlgorithm().getParameters() == null
            ? null
            : spki.getAlgorithm().getParameters().toASN1Primitive());
  }

  /** The scheme for a key algorithm identifier (algorithm OID and its parameters). */
  static EcSignatureScheme forAlgorithm(
      ASN1ObjectIdentifier algorithm, @Nullable ASN1Primitive params) {
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      throw new InvalidInputException(SUPPORTED + "; got " + KeyAlgorithmNames.of(algorithm));
    }
    if (!(params instanceof ASN1ObjectIdentifier curve)) {
      throw new InvalidInputException(
          SUPPORTED + "; got an EC key with explicit or missing curve parameters");
    }
    for (EcSignatureScheme s : values()) {
      if (s.curveOid.equals(curve)) {
        return s;
      }
    }
    throw new InvalidInputException(
        SUPPORTED + "; got an EC key on curve " + KeyAlgorithmNames.curve(curve));
  }

  /**
   * Signs {@code data}, returning a DER ECDSA signature. Deterministic ECDSA (RFC 6979): the nonce
   * is derived from the key and the message, so no random source can leak the key through a weak
   * nonce, and the same key signing the same statement always yields the same bundle (whichever
   * engine, machine or retry produced it). Any ECDSA verifier accepts it: the signature format is
   * unchanged.
   */
  public byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance(jcaAlgorithm.replace("ECDSA", "ECDDSA"), PemKeys.BC);
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(jcaAlgorithm + " signing failed: " + e.getMessage(), e);
    }
  }

  /** Whether {@code derSignature} is a valid signature of {@code data}; malformed means false. */
  public boolean verify(PublicKey key, byte[] data, byte[] derSignature) {
    try {
      Signature s = Signature.getInstance(jcaAlgorithm);
      s.initVerify(key);
      s.update(data);
      return s.verify(derSignature);
    } catch (SignatureException e) {
      return false; // not DER, wrong length, out-of-range integers: simply not a valid signature
    } catch (InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(jcaAlgorithm + " is not available: " + e.getMessage(), e);
    }
  }
}
