package dev.modelsigning.core.signing.sigstore;

/**
 * Where the OIDC identity token for keyless signing comes from. Implementations never log the token
 * and never put it in an exception message.
 */
public interface IdentityTokenSource {

  /**
   * Returns a raw OIDC ID token (a JWT).
   *
   * @throws TokenUnavailableException if this source is not configured in this environment
   */
  String token();

  /** A short description for error messages, e.g. {@code "token file /var/run/..."}. */
  String describe();

  /** A fixed token (already obtained by the caller). */
  static IdentityTokenSource of(String token) {
    return new StaticTokenSource(token);
  }
}
