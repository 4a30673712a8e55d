package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The claims of an OIDC ID token, read WITHOUT checking its signature. The certificate authority
 * does the real check; the client only needs the subject for the proof of possession and the expiry
 * for a helpful error message.
 */
record IdentityTokenClaims(
    String issuer, String subject, Optional<String> email, Optional<Instant> expiresAt) {

  /**
   * Issuers whose Fulcio identity is the email claim rather than {@code sub} (Fulcio's "email"
   * issuer type). The same table sigstore-python and sigstore-js use.
   */
  private static final Map<String, String> EMAIL_ISSUERS =
      Map.of(
          "https://accounts.google.com", "email",
          "https://oauth2.sigstore.dev/auth", "email",
          "https://oauth2.sigstage.dev/auth", "email");

  public static IdentityTokenClaims parseUnverified(String jwt) {
    String[] parts = jwt.strip().split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidInputException("identity token is not a JWT (expected three dot parts)");
    }
    JsonNode claims;
    try {
      claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidInputException("identity token has an unreadable claims part");
    }
    if (claims == null || !claims.isObject()) {
      throw new InvalidInputException("identity token claims are not a JSON object");
    }
    return new IdentityTokenClaims(
        claims.path("iss").asText(""),
        claims.path("sub").asText(""),
        Optional.ofNullable(claims.get("email")).map(JsonNode::asText),
        claims.hasNonNull("exp")
            ? Optional.of(Instant.ofEpochSecond(claims.get("exp").asLong()))
            : Optional.empty());
  }

  /** The value Fulcio expects the proof of possession to sign. */
  public String proofOfPossessionSubject() {
    if (EMAIL_ISSUERS.containsKey(issuer) && email.isPresent()) {
      return email.get();
    }
    if (subject.isEmpty()) {
      throw new InvalidInputException("identity token from " + issuer + " has no 'sub' claim");
    }
    return subject;
  }

  public boolean isExpiredAt(Instant now) {
    return expiresAt.map(now::isAfter).orElse(false);
  }
}
