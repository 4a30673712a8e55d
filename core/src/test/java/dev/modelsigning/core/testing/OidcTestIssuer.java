package dev.modelsigning.core.testing;

import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/** A real OIDC issuer (mock-oauth2-server) on 127.0.0.1 that signs tokens with chosen claims. */
public final class OidcTestIssuer implements AutoCloseable {
  public static final String ISSUER_ID = "loopback";
  private final MockOAuth2Server server = new MockOAuth2Server();

  public OidcTestIssuer() {
    server.start(Http.loopback(), 0);
  }

  /** The {@code iss} of every token, e.g. {@code http://127.0.0.1:41234/loopback}. */
  public String issuerUrl() {
    return server.issuerUrl(ISSUER_ID).toString().replaceAll("/$", "");
  }

  /** A token for {@code subject}, audience {@code sigstore}, valid for an hour. */
  public String token(String subject) {
    return token(subject, "sigstore", 3600, Map.of());
  }

  /** A token whose {@code exp} is {@code lifetimeSeconds} from now (negative: already expired). */
  public String token(
      String subject, String audience, long lifetimeSeconds, Map<String, Object> claims) {
    return server
        .issueToken(
            ISSUER_ID,
            "model-signing-tests",
            new DefaultOAuth2TokenCallback(
                ISSUER_ID, subject, "JWT", List.of(audience), claims, lifetimeSeconds))
        .serialize();
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
