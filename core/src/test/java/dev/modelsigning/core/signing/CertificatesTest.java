package dev.modelsigning.core.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificatesTest {

  /** Go's encoding/pem and Python cryptography's layout, which hints and Rekor bodies rely on. */
  @Test
  void pemIsSixtyFourColumnsWithNewlinesAndATrailingNewline() {
    byte[] der = new byte[60]; // 80 base64 characters: one full line and a part
    for (int i = 0; i < der.length; i++) {
      der[i] = (byte) i;
    }
    String pem = Pem.encode("THING", der);
    String body = Base64.getEncoder().encodeToString(der);
    assertEquals(
        "-----BEGIN THING-----\n"
            + body.substring(0, 64)
            + "\n"
            + body.substring(64)
            + "\n-----END THING-----\n",
        pem);
  }

  @Test
  void certificatePemReadsBackAsTheSameCertificate() throws Exception {
    X509Certificate leaf = TestPki.Chain.create("secp256r1").leaf();
    String pem = Certificates.pem(leaf);
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"), pem);
    List<X509Certificate> back = PemKeys.parseCertificates(pem, "test");
    assertEquals(List.of(leaf), back);
    assertArrayEquals(leaf.getEncoded(), Certificates.der(back.get(0)));
    assertEquals(leaf, Certificates.fromDer(Certificates.der(leaf)));
  }

  @Test
  void derThatIsNotACertificateIsRefused() {
    assertThrows(CertificateException.class, () -> Certificates.fromDer(new byte[] {0x30, 0x03}));
  }
}
