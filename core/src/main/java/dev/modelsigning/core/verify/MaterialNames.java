package dev.modelsigning.core.verify;

import dev.modelsigning.core.format.VerificationMaterial;

/** How a bundle's verification material is named in messages. */
final class MaterialNames {
  private MaterialNames() {}

  static String of(VerificationMaterial m) {
    if (m instanceof VerificationMaterial.PublicKey) {
      return "a public key";
    }
    if (m instanceof VerificationMaterial.CertificateChain) {
      return "an X.509 certificate chain";
    }
    return "a single Sigstore certificate";
  }
}
