package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.InvalidInputException;

/**
 * An identity-token source is not configured in this environment (variable unset, file absent,
 * metadata server not reachable). A {@link ChainedTokenSource} moves on to its next source.
 */
public class TokenUnavailableException extends InvalidInputException {
  public TokenUnavailableException(String message) {
    super(message);
  }

  public TokenUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
