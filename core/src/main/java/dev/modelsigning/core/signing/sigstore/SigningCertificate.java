package dev.modelsigning.core.signing.sigstore;

import java.security.cert.X509Certificate;
import java.util.List;

/** What Fulcio returned: the leaf first, then intermediates and (usually) the root. */
record SigningCertificate(List<X509Certificate> chain) {
  public SigningCertificate {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("empty certificate chain");
    }
    chain = List.copyOf(chain);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }
}
