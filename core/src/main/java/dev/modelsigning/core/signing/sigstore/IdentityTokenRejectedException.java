package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.InvalidInputException;

/**
 * The certificate authority refused the identity token (expired, wrong audience, untrusted issuer).
 * The message says why when that is known; it never contains the token.
 */
public class IdentityTokenRejectedException extends InvalidInputException {
  public IdentityTokenRejectedException(String message) {
    super(message);
  }
}
