package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.InvalidInputException;

/** A token the caller already has, e.g. from a CLI flag or a secret manager. */
public final class StaticTokenSource implements IdentityTokenSource {
  private final String token;

  public StaticTokenSource(String token) {
    if (token == null || token.isBlank()) {
      throw new InvalidInputException("the identity token given is empty");
    }
    this.token = token.strip();
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public String describe() {
    return "identity token given directly";
  }
}
