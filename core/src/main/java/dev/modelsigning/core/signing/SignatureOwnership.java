package dev.modelsigning.core.signing;

import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.SigstoreBundle;
import dev.modelsigning.core.format.VerificationMaterial;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Answers "is the signature bundle already at the destination one this signer wrote for this very
 * statement?". A distributed runner may run the signing step twice (a retry after a lost
 * acknowledgement); the second attempt then finds the first attempt's bundle where it writes
 * without overwriting, and must keep it rather than fail. Comparing the bytes would not do: a local
 * key signs deterministically (RFC 6979, {@link EcSignatureScheme#sign}), so its attempts write
 * identical bundles, but keyless signing gets a fresh key and certificate on every attempt, and
 * keys in Cloud KMS, AWS KMS or a PKCS#11 token may sign with a random nonce, so their attempts'
 * bundles differ although both are this signer's.
 *
 * <p>The same statement alone is not enough: a bundle by another key over the same manifest, or one
 * merely claiming our key's hint, must not let a job report success while the user's own signature
 * was never written. So the existing bundle must carry the same kind of signer (same key hint, same
 * leaf certificate, or for keyless signing a leaf issued to the same identity by the same issuer)
 * and its signature must verify: under our key for the key and certificate methods; for keyless
 * signing, whose key is fresh per attempt, under its own leaf. The leaf's chain to Fulcio is left
 * to verifiers: this only decides whether to keep a file, never whether to trust it.
 */
public final class SignatureOwnership {
  private SignatureOwnership() {}

  /**
   * @param existingBundle the bundle found at the destination
   * @param statement the statement this attempt signed
   * @param ourBundle the bundle this attempt produced (it names our signer)
   * @param ourKey the signer's fixed key ({@link ModelSigner#publicKey()}); empty for keyless
   * @return true only if {@code existingBundle} signs exactly {@code statement} by the same signer;
   *     false for anything unreadable
   */
  public static boolean isOurs(
      byte[] existingBundle, byte[] statement, byte[] ourBundle, Optional<PublicKey> ourKey) {
    try {
      SigstoreBundle existing = BundleReader.read(existingBundle);
      VerificationMaterial ours = BundleReader.read(ourBundle).material();
      if (!Arrays.equals(existing.envelope().payload(), statement)
          || !sameSigner(existing.material(), ours)) {
        return false;
      }
      PublicKey key = ourKey.isPresent() ? ourKey.get() : leaf(existing.material()).getPublicKey();
      return EcSignatureScheme.of(key)
          .verify(key, existing.envelope().signedBytes(), existing.envelope().signature());
    } catch (ModelSigningException | CertificateException e) {
      return false;
    }
  }

  /** The hint is only a claim; the signature check in {@link #isOurs} is what proves the key. */
  private static boolean sameSigner(VerificationMaterial a, VerificationMaterial b)
      throws CertificateException {
    if (a instanceof VerificationMaterial.PublicKey ka
        && b instanceof VerificationMaterial.PublicKey kb) {
      return ka.hint() != null && ka.hint().equals(kb.hint());
    }
    if (a instanceof VerificationMaterial.CertificateChain ca
        && b instanceof VerificationMaterial.CertificateChain cb) {
      return Arrays.equals(ca.certificates().get(0), cb.certificates().get(0));
    }
    if (a instanceof VerificationMaterial.Certificate
        && b instanceof VerificationMaterial.Certificate) {
      return sameIdentity(leaf(a), leaf(b));
    }
    return false;
  }

  /**
   * Two Fulcio leaves for the same identity: every subject alternative name and both issuer
   * extensions equal, byte for byte. Stricter than what a verifier's identity policy reads, so it
   * can only refuse to keep a file, never keep one a policy would tell apart.
   */
  private static boolean sameIdentity(X509Certificate a, X509Certificate b)
      throws CertificateException {
    List<String> names = subjectAlternativeNames(a);
    return !names.isEmpty()
        && names.equals(subjectAlternativeNames(b))
        && Arrays.equals(
            a.getExtensionValue(FulcioOids.ISSUER), b.getExtensionValue(FulcioOids.ISSUER))
        && Arrays.equals(
            a.getExtensionValue(FulcioOids.LEGACY_ISSUER),
            b.getExtensionValue(FulcioOids.LEGACY_ISSUER));
  }

  /**
   * The SANs as comparable values. The JDK returns them in an unmodifiable wrapper whose equals is
   * identity, and an otherName value is a byte array, so they are compared as "type:value" text.
   */
  private static List<String> subjectAlternativeNames(X509Certificate cert)
      throws CertificateException {
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    List<String> out = new ArrayList<>();
    if (sans != null) {
      for (List<?> san : sans) {
        Object value = san.get(1);
        out.add(
            san.get(0)
                + ":"
                + (value instanceof byte[] der ? HexFormat.of().formatHex(der) : value));
      }
    }
    return out;
  }

  private static X509Certificate leaf(VerificationMaterial m) throws CertificateException {
    if (m instanceof VerificationMaterial.Certificate c) {
      return Certificates.fromDer(c.certificate());
    }
    if (m instanceof VerificationMaterial.CertificateChain chain) {
      return Certificates.fromDer(chain.certificates().get(0));
    }
    throw new CertificateException("a public key bundle has no certificate");
  }
}
