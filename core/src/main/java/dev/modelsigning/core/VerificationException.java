package dev.modelsigning.core;

/**
 * The signature, bundle or model does not verify: bad signature, untrusted signer, malformed
 * bundle, or model contents that differ from the signed manifest. CLI exit code 1.
 */
public class VerificationException extends ModelSigningException {
  public VerificationException(String message) {
    super(message);
  }

  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
