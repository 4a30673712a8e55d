package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/**
 * GitHub Actions' OIDC provider (a workflow with {@code permissions: id-token: write}), asked for
 * audience {@code sigstore}.
 */
public final class GitHubActionsTokenSource implements IdentityTokenSource {
  public static final String URL_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_URL";
  public static final String TOKEN_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

  private final Function<String, String> env;
  private final HttpTransport http;

  public GitHubActionsTokenSource() {
    this(System::getenv, HttpTransport.defaults());
  }

  GitHubActionsTokenSource(Function<String, String> env, HttpTransport http) {
    this.env = env;
    this.http = http;
  }

  @Override
  public String token() {
    String requestUrl = env.apply(URL_VARIABLE);
    String requestToken = env.apply(TOKEN_VARIABLE);
    if (requestUrl == null || requestUrl.isBlank() || requestToken == null) {
      throw new TokenUnavailableException(
          describe() + ": " + URL_VARIABLE + " / " + TOKEN_VARIABLE + " are not set");
    }
    URI url = URI.create(requestUrl + (requestUrl.contains("?") ? "&" : "?") + "audience=sigstore");
    HttpTransport.Response response =
        http.get(url, Map.of("Authorization", "bearer " + requestToken));
    if (response.status() != 200) {
      throw new SigstoreServiceException(
          url, response.status(), describe() + " answered HTTP " + response.status());
    }
    try {
      JsonNode value = Json.MAPPER.readTree(response.body()).get("value");
      if (value == null || value.asText().isBlank()) {
        throw new SigstoreServiceException(url, 200, describe() + " returned no 'value'");
      }
      return value.asText();
    } catch (IOException e) {
      throw new SigstoreServiceException(url, describe() + " returned unreadable JSON", e);
    }
  }

  @Override
  public String describe() {
    return "GitHub Actions OIDC (" + URL_VARIABLE + ")";
  }
}
