package dev.modelsigning.core.format;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a bundle offers to check its signature with. */
public sealed interface VerificationMaterial {

  /**
   * A bare public key, named by a hint (model_signing v1.1+: hex SHA-256 of the PEM) or carried as
   * raw bytes (v0.3.1..v1.0.x: base64 of the PEM text); either, or both, may be null.
   */
  record PublicKey(@Nullable String hint, byte @Nullable [] rawBytes)
      implements VerificationMaterial {}

  /** An X.509 chain, leaf first, DER encoded (the certificate method). */
  record CertificateChain(List<byte[]> certificates) implements VerificationMaterial {
    public CertificateChain {
      certificates = List.copyOf(certificates);
    }
  }

  /** A single leaf certificate, DER encoded (Sigstore keyless with bundle v0.3). */
  record Certificate(byte[] certificate) implements VerificationMaterial {}
}
