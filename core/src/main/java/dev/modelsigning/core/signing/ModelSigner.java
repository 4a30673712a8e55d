package dev.modelsigning.core.signing;

import java.security.PublicKey;
import java.util.Optional;

/**
 * Signs an in-toto statement (the serialized model manifest) and returns a complete Sigstore bundle
 * v0.3 (JSON, UTF-8) whose DSSE envelope carries exactly those statement bytes with payload type
 * {@link dev.modelsigning.core.format.Statement#PAYLOAD_TYPE}.
 */
public interface ModelSigner {
  byte[] sign(byte[] statementJson);

  /**
   * The key every signature of this signer verifies under, when it is fixed (key and certificate
   * methods); empty for keyless signing, whose key is fresh for each signature.
   */
  default Optional<PublicKey> publicKey() {
    return Optional.empty();
  }
}
