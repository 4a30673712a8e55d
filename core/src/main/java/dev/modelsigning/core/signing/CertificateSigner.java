package dev.modelsigning.core.signing;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.format.BundleWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code certificate} method: signs with an EC key whose certificate was issued by the user's
 * own CA, and puts the leaf plus its intermediates in the bundle ({@code x509CertificateChain}, no
 * transparency log), as model_signing does. The verifier brings the root. The key may be local or
 * in a vault ({@link SigningKey}).
 */
public final class CertificateSigner implements ModelSigner {
  private final EnvelopeSigner signer;
  private final PublicKey publicKey;
  private final List<byte[]> chainDer;

  private CertificateSigner(SigningKey key, X509Certificate leaf, List<X509Certificate> chain) {
    // A certificate for another key would produce a bundle no one can verify; refuse it now.
    if (!PemKeys.sameKey(leaf.getPublicKey(), key.publicKey())) {
      throw new InvalidInputException(
          "the signing certificate ("
              + leaf.getSubjectX500Principal().getName()
              + ") is for a different key than "
              + (key instanceof LocalSigningKey ? "the private key" : key.description()));
    }
    this.signer = new EnvelopeSigner(key);
    this.publicKey = key.publicKey();
    List<X509Certificate> all = new ArrayList<>();
    all.add(leaf);
    for (X509Certificate c : chain) {
      // A self-signed root adds nothing (the verifier must get it from its own trust anchors)
      // and model_signing's bundles carry only the intermediates. Checked by signature, not by
      // name: a leaf may be self-issued (the interop leaf's subject equals its issuer).
      if (!isSelfSigned(c)) {
        all.add(c);
      }
    }
    requireOrdered(all);
    this.chainDer = new ArrayList<>();
    for (X509Certificate c : all) {
      try {
        chainDer.add(c.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new InvalidInputException("cannot encode certificate " + subject(c), e);
      }
    }
  }

  /**
   * @param password for an encrypted key, else null
   * @param signingCertificatePem the leaf certificate for the private key
   * @param chainPems intermediates (and optionally the root, which is left out of the bundle),
   *     leaf's issuer first; each file may hold several certificates
   */
  public static CertificateSigner fromPem(
      Path privateKeyPem,
      char @Nullable [] password,
      Path signingCertificatePem,
      List<Path> chainPems) {
    return fromPem(
        Pem.read(privateKeyPem, "private key"),
        password,
        Pem.read(signingCertificatePem, "signing certificate"),
        chainPems.stream().map(p -> Pem.read(p, "certificate chain")).toList());
  }

  /**
   * @param password for an encrypted key, else null
   * @param signingCertificate the leaf certificate for the private key
   * @param chain intermediates (and optionally the root, which is left out of the bundle), leaf's
   *     issuer first; each may hold several certificates
   */
  public static CertificateSigner fromPem(
      Pem privateKey, char @Nullable [] password, Pem signingCertificate, List<Pem> chain) {
    return fromPem(
        SigningKey.of(PemKeys.readPrivateKey(privateKey, password)), signingCertificate, chain);
  }

  /**
   * Signs with a key that may live in a PKCS#11 token or a cloud KMS, with the certificate chain
   * from PEM files (as for {@link #fromPem(Path, char[], Path, List)}).
   */
  public static CertificateSigner fromPem(
      SigningKey key, Path signingCertificatePem, List<Path> chainPems) {
    return fromPem(
        key,
        Pem.read(signingCertificatePem, "signing certificate"),
        chainPems.stream().map(p -> Pem.read(p, "certificate chain")).toList());
  }

  /** The same with the certificates already read (e.g. shipped to a worker as bytes). */
  public static CertificateSigner fromPem(SigningKey key, Pem signingCertificate, List<Pem> chain) {
    List<X509Certificate> leafFile = PemKeys.readCertificates(signingCertificate);
    if (leafFile.size() != 1) {
      throw new InvalidInputException(
          "signing certificate file '"
              + signingCertificate.source()
              + "' must hold exactly one certificate, found "
              + leafFile.size()
              + " (put intermediates in the chain files)");
    }
    List<X509Certificate> intermediates = new ArrayList<>();
    for (Pem p : chain) {
      intermediates.addAll(PemKeys.readCertificates(p));
    }
    return new CertificateSigner(key, leafFile.get(0), intermediates);
  }

  public static CertificateSigner of(
      KeyPair keyPair, X509Certificate leaf, List<X509Certificate> intermediates) {
    return new CertificateSigner(SigningKey.of(keyPair), leaf, intermediates);
  }

  public static CertificateSigner of(
      SigningKey key, X509Certificate leaf, List<X509Certificate> intermediates) {
    return new CertificateSigner(key, leaf, intermediates);
  }

  public EcSignatureScheme scheme() {
    return signer.scheme();
  }

  @Override
  public Optional<PublicKey> publicKey() {
    return Optional.of(publicKey);
  }

  @Override
  public byte[] sign(byte[] statementJson) {
    return BundleWriter.certificateChainBundle(signer.sign(statementJson), chainDer);
  }

  /** Each certificate must be signed by the next one: a shuffled chain fails every verifier. */
  private static void requireOrdered(List<X509Certificate> chain) {
    for (int i = 0; i + 1 < chain.size(); i++) {
      try {
        chain.get(i).verify(chain.get(i + 1).getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new InvalidInputException(
            "certificate chain is not in order: "
                + subject(chain.get(i))
                + " is not signed by the next certificate "
                + subject(chain.get(i + 1))
                + " (give the chain leaf's issuer first, root last)");
      }
    }
  }

  private static boolean isSelfSigned(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String subject(X509Certificate c) {
    return "'" + c.getSubjectX500Principal().getName() + "'";
  }
}
