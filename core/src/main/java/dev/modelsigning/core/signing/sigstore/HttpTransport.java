package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that talks HTTP for the Sigstore clients: fixed timeouts, HTTP/1.1 (Sigstore
 * services and the loopback stand-ins do not need h2c upgrades), and transport errors turned into a
 * {@link SigstoreServiceException} that names the URL.
 */
final class HttpTransport {

  /** A received response; the body is kept whole (Sigstore responses are small). */
  public record Response(URI url, int status, byte[] body, Optional<String> location) {
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body shortened for an error message; servers sometimes answer with whole pages. */
    public String bodySnippet() {
      String text = bodyText().strip().replaceAll("\\s+", " ");
      return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
  }

  private final HttpClient client;
  private final Duration requestTimeout;

  public HttpTransport(Duration connectTimeout, Duration requestTimeout) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.requestTimeout = requestTimeout;
  }

  /** Defaults suited to Fulcio/Rekor/TSA round trips. */
  public static HttpTransport defaults() {
    return new HttpTransport(Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  public Response get(URI url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(requestTimeout).GET();
    headers.forEach(request::header);
    return send(url, request.build());
  }

  public Response post(URI url, String contentType, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(requestTimeout)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return send(url, request.build());
  }

  /**
   * POSTs a JSON request, written by {@link Json}, and asks for JSON back. A transport failure
   * names the service ({@code "Rekor is unreachable: ..."}), which the bare URL in it may not.
   */
  public Response postJson(URI url, JsonNode body, String service) {
    try {
      return post(url, "application/json", Json.write(body), Map.of("Accept", "application/json"));
    } catch (SigstoreServiceException e) {
      throw new SigstoreServiceException(url, service + " is unreachable: " + e.getMessage(), e);
    }
  }

  private Response send(URI url, HttpRequest request) {
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Response(
          url, response.statusCode(), response.body(), response.headers().firstValue("Location"));
    } catch (IOException e) {
      throw new SigstoreServiceException(url, "could not reach " + url + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SigstoreServiceException(url, "interrupted while calling " + url, e);
    }
  }

  private static String describe(IOException e) {
    String kind = e.getClass().getSimpleName();
    return e.getMessage() == null ? kind : kind + " (" + e.getMessage() + ")";
  }
}
