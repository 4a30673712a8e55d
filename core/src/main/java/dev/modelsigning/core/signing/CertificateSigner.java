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

/**
 * The {@code certificate} method: signs with a local EC key whose certificate was issued by the
 * user's own CA, and puts the leaf plus its intermediates in the bundle ({@code
 * x509CertificateChain}, no transparency log), as model_signing does. The verifier brings the root.
 */
public final class CertificateSigner implements ModelSigner {
  private final EnvelopeSigner signer;
  private final PublicKey publicKey;
  private final List<byte[]> chainDer;

  private CertificateSigner(KeyPair keyPair, X509Certificate leaf, List<X509Certificate> chain) {
    // A certificate for another key would produce a bundle no one can verify; refuse it now.
    if (!PemKeys.sameKey(leaf.getPublicKey(), keyPair.getPublic())) {
      throw new InvalidInputException(
          "the signing certificate ("
              + leaf.getSubjectX500Principal().getName()
              + ") is for a different key than the private key");
    }
    this.signer = new EnvelopeSigner(keyPair);
    this.publicKey = keyPair.getPublic();
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
      Path privateKeyPem, char[] password, Path signingCertificatePem, List<Path> chainPems) {
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
      Pem privateKey, char[] password, Pem signingCertificate, List<Pem> chain) {
    KeyPair keys = PemKeys.readPrivateKey(privateKey, password);
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
    return new CertificateSigner(keys, leafFile.get(0), intermediates);
  }

  public static CertificateSigner of(
      KeyPair keyPair, X509Certificate leaf, List<X509Certificate> intermediates) {
    return new CertificateSigner(keyPair, leaf, intermediates);
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
