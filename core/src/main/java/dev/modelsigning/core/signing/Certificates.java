package dev.modelsigning.core.signing;

import java.io.ByteArrayInputStream;
import java.security.cert.CertPath;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * X.509 certificates to and from bytes: the one place DER becomes a certificate (bundles, log
 * entries, PEM files via {@link PemKeys#parseCertificates}, which also reads the text around PEM
 * blocks that users' files have) and a certificate becomes PEM ({@link Pem#encode}).
 */
public final class Certificates {
  private Certificates() {}

  /**
   * Parses one DER certificate.
   *
   * @throws CertificateException if it is not one; callers say which certificate in their terms
   */
  public static X509Certificate fromDer(byte[] der) throws CertificateException {
    // A factory per call: CertificateFactory is not documented as thread-safe.
    return (X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der));
  }

  /** The certificate's DER encoding. */
  public static byte[] der(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (CertificateEncodingException e) {
      // The JDK keeps the bytes it parsed; only a hand-built certificate could fail here.
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  /** The certificate as PEM text in Go's and Python's layout (see {@link Pem#encode}). */
  public static String pem(X509Certificate cert) {
    return Pem.encode("CERTIFICATE", der(cert));
  }

  /** A certification path of {@code certs}, leaf first, for a PKIX validator. */
  public static CertPath path(List<X509Certificate> certs) throws CertificateException {
    return factory().generateCertPath(certs);
  }

  private static CertificateFactory factory() throws CertificateException {
    return CertificateFactory.getInstance("X.509");
  }
}
