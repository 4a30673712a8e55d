package dev.modelsigning.core.verify;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.DsseEncoding;
import dev.modelsigning.core.format.SigstoreBundle;
import dev.modelsigning.core.format.VerificationMaterial;
import dev.modelsigning.core.signing.Certificates;
import dev.modelsigning.core.signing.Pem;
import dev.modelsigning.core.signing.PemKeys;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Policy "signed by a certificate that chains to one of these CAs" (the {@code certificate}
 * method). The bundle carries the leaf and intermediates; the trust anchors (roots, optionally
 * intermediates) come only from the verifier's configuration. Revocation is not checked: there is
 * no CRL or OCSP in this method's model, as in model_signing.
 */
public final class CertificateChainVerifier implements SignatureVerifier {
  private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
  private static final String ANY_EKU = "2.5.29.37.0";

  private final List<X509Certificate> anchorCerts;
  private final Set<TrustAnchor> anchors;
  private final ValidityCheck validity;
  private final Clock clock;

  private CertificateChainVerifier(
      List<X509Certificate> trusted, ValidityCheck validity, Clock clock) {
    if (trusted.isEmpty()) {
      throw new InvalidInputException("the certificate method needs at least one trusted CA");
    }
    this.anchorCerts = List.copyOf(trusted);
    this.anchors = new LinkedHashSet<>();
    for (X509Certificate c : trusted) {
      anchors.add(new TrustAnchor(c, null));
    }
    this.validity = validity;
    this.clock = clock;
  }

  /**
   * @param trustedCaPems PEM files with the trusted root (and optionally intermediate) CAs
   */
  public static CertificateChainVerifier fromPem(List<Path> trustedCaPems, ValidityCheck validity) {
    return fromPems(
        trustedCaPems.stream().map(p -> Pem.read(p, "CA certificate")).toList(), validity);
  }

  /**
   * @param trustedCas PEM texts with the trusted root (and optionally intermediate) CAs
   */
  public static CertificateChainVerifier fromPems(List<Pem> trustedCas, ValidityCheck validity) {
    List<X509Certificate> certs = new ArrayList<>();
    for (Pem p : trustedCas) {
      certs.addAll(PemKeys.readCertificates(p));
    }
    return new CertificateChainVerifier(certs, validity, Clock.systemUTC());
  }

  public static CertificateChainVerifier of(
      List<X509Certificate> trustedCas, ValidityCheck validity) {
    return new CertificateChainVerifier(trustedCas, validity, Clock.systemUTC());
  }

  /** With an explicit clock, for {@link ValidityCheck#CURRENT_TIME} in tests. */
  public static CertificateChainVerifier of(
      List<X509Certificate> trustedCas, ValidityCheck validity, Clock clock) {
    return new CertificateChainVerifier(trustedCas, validity, clock);
  }

  @Override
  public VerifiedSignature verify(SigstoreBundle bundle) {
    if (!(bundle.material() instanceof VerificationMaterial.CertificateChain chain)) {
      throw new VerificationException(
          "the bundle was not signed with the certificate method (it carries "
              + MaterialNames.of(bundle.material())
              + "); verify it with the matching method");
    }
    List<X509Certificate> certs = parse(chain.certificates());
    X509Certificate leaf = certs.get(0);
    Instant at =
        validity == ValidityCheck.CURRENT_TIME ? clock.instant() : leaf.getNotBefore().toInstant();
    validatePath(certs, at);
    requireSigningUsage(leaf);
    DsseEncoding encoding =
        EnvelopeSignatureCheck.require(
            bundle.envelope(), leaf.getPublicKey(), "the signing certificate " + subject(leaf));
    return new VerifiedSignature(bundle.envelope().payload(), describe(leaf), encoding);
  }

  private static List<X509Certificate> parse(List<byte[]> ders) {
    List<X509Certificate> out = new ArrayList<>();
    for (int i = 0; i < ders.size(); i++) {
      try {
        out.add(Certificates.fromDer(ders.get(i)));
      } catch (CertificateException e) {
        throw new VerificationException(
            "bundle certificate #" + i + " is not a valid X.509 certificate", e);
      }
    }
    return out;
  }

  private void validatePath(List<X509Certificate> certs, Instant at) {
    // The path handed to PKIX must stop before a trusted certificate: a bundle may carry an
    // intermediate the user also configured as an anchor, and PKIX would then look for that
    // intermediate's issuer among the anchors and fail.
    List<X509Certificate> path = new ArrayList<>();
    for (X509Certificate c : certs) {
      if (!path.isEmpty() && isAnchor(c)) {
        break;
      }
      path.add(c);
    }
    PKIXCertPathValidatorResult result;
    try {
      CertPath certPath = Certificates.path(path);
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      result =
          (PKIXCertPathValidatorResult)
              CertPathValidator.getInstance("PKIX").validate(certPath, params);
    } catch (CertPathValidatorException e) {
      throw pathFailure(e, path, at);
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("bad PKIX parameters: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new VerificationException("certificate chain cannot be checked: " + e.getMessage(), e);
    }
    // The JDK does not check the anchor's own validity period; the whole chain must be valid.
    X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
    if (anchor != null) {
      requireValidAt(anchor, at, "trusted CA certificate");
    }
  }

  private boolean isAnchor(X509Certificate c) {
    for (X509Certificate a : anchorCerts) {
      if (a.equals(c)) {
        return true;
      }
    }
    return false;
  }

  private VerificationException pathFailure(
      CertPathValidatorException e, List<X509Certificate> path, Instant at) {
    int index = e.getIndex();
    X509Certificate cert = index >= 0 && index < path.size() ? path.get(index) : null;
    String which =
        cert == null
            ? "the bundle's certificate chain"
            : (index == 0 ? "the signing certificate " : "bundle certificate #" + index + " ")
                + subject(cert);
    if (e.getReason() == BasicReason.EXPIRED || e.getReason() == BasicReason.NOT_YET_VALID) {
      return new VerificationException(
          which
              + (e.getReason() == BasicReason.EXPIRED ? " has expired" : " is not yet valid")
              + ": it is valid from "
              + (cert == null ? "?" : cert.getNotBefore().toInstant())
              + " to "
              + (cert == null ? "?" : cert.getNotAfter().toInstant())
              + ", checked at "
              + at
              + (validity == ValidityCheck.CURRENT_TIME ? " (now)" : " (the leaf's notBefore)"),
          e);
    }
    if (e.getReason() == BasicReason.UNDETERMINED_REVOCATION_STATUS
        || e.getReason() == BasicReason.REVOKED) {
      return new VerificationException(which + " failed a revocation check: " + e.getMessage(), e);
    }
    return new VerificationException(
        "the bundle's certificate chain does not lead to a trusted CA ("
            + which
            + ": "
            + e.getMessage()
            + ")",
        e);
  }

  private void requireValidAt(X509Certificate c, Instant at, String what) {
    try {
      c.checkValidity(Date.from(at));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new VerificationException(
          what
              + " "
              + subject(c)
              + " is not valid at "
              + at
              + ": it is valid from "
              + c.getNotBefore().toInstant()
              + " to "
              + c.getNotAfter().toInstant(),
          e);
    }
  }

  /**
   * The leaf must be meant for signing: keyUsage with digitalSignature (model_signing requires the
   * extension), and if it lists extended key usages, code signing among them. CA:TRUE is accepted,
   * as model_signing does (its own test leaf is a CA).
   */
  private static void requireSigningUsage(X509Certificate leaf) {
    boolean[] ku = leaf.getKeyUsage();
    if (ku == null || ku.length == 0 || !ku[0]) {
      throw new VerificationException(
          "the signing certificate "
              + subject(leaf)
              + (ku == null ? " has no keyUsage extension" : " does not allow digitalSignature")
              + ": it is not a signing certificate");
    }
    List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new VerificationException(
          "the signing certificate " + subject(leaf) + " has an unreadable extendedKeyUsage", e);
    }
    if (eku != null && !eku.contains(CODE_SIGNING) && !eku.contains(ANY_EKU)) {
      throw new VerificationException(
          "the signing certificate "
              + subject(leaf)
              + " is not for code signing (extendedKeyUsage "
              + eku
              + " lacks codeSigning)");
    }
  }

  /** Subject DN, plus the subject alternative names when there are any. */
  private static String describe(X509Certificate leaf) {
    StringBuilder sb = new StringBuilder(leaf.getSubjectX500Principal().getName());
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans != null && !sans.isEmpty()) {
        List<String> names = new ArrayList<>();
        for (List<?> san : sans) {
          Object value = san.get(1);
          names.add(
              sanType((Integer) san.get(0))
                  + ":"
                  + (value instanceof byte[] b ? Arrays.toString(b) : value));
        }
        sb.append(" (SAN ").append(String.join(", ", names)).append(')');
      }
    } catch (CertificateParsingException e) {
      sb.append(" (unreadable SAN)");
    }
    return sb.toString();
  }

  private static String sanType(int type) {
    return switch (type) {
      case 1 -> "email";
      case 2 -> "DNS";
      case 6 -> "URI";
      case 7 -> "IP";
      default -> "type" + type;
    };
  }

  private static String subject(X509Certificate c) {
    return "'" + c.getSubjectX500Principal().getName() + "'";
  }
}
