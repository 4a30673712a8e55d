package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.format.BundleWriter;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.signing.Certificates;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;

/** Rekor v1: uploads a {@code dsse} v0.0.1 entry and returns it with its proofs. */
final class RekorClient {

  private final URI rekorUrl;
  private final URI entriesUrl;
  private final HttpTransport http;

  public RekorClient(URI rekorUrl, HttpTransport http) {
    this.rekorUrl = rekorUrl;
    this.entriesUrl = Urls.resolve(rekorUrl, "api/v1/log/entries");
    this.http = http;
  }

  /**
   * Logs a DSSE envelope signed by {@code signer}'s key.
   *
   * @param envelopeJson the envelope exactly as the bundle will carry it ({@link
   *     BundleWriter#envelopeJson}); Rekor records the SHA-256 of this string as the entry's {@code
   *     envelopeHash}
   */
  public TransparencyLogEntry uploadDsse(String envelopeJson, X509Certificate signer) {
    ObjectNode entry = Json.MAPPER.createObjectNode();
    entry.put("apiVersion", "0.0.1");
    entry.put("kind", "dsse");
    ObjectNode content = entry.putObject("spec").putObject("proposedContent");
    content.put("envelope", envelopeJson);
    content
        .putArray("verifiers")
        .add(
            Base64.getEncoder()
                .encodeToString(Certificates.pem(signer).getBytes(StandardCharsets.US_ASCII)));

    HttpTransport.Response response = http.postJson(entriesUrl, entry, "Rekor");
    if (response.status() == 409 && response.location().isPresent()) {
      // The identical entry is already logged (a retry); fetch it rather than fail.
      URI existing = rekorUrl.resolve(response.location().get());
      response = http.get(existing, Map.of("Accept", "application/json"));
      if (response.status() != 200) {
        throw refused(existing, response);
      }
    } else if (response.status() != 201) {
      throw refused(entriesUrl, response);
    }
    try {
      return TransparencyLogEntry.fromRekorResponse(response.body());
    } catch (IOException | IllegalArgumentException e) {
      throw new SigstoreServiceException(
          entriesUrl,
          "Rekor at " + entriesUrl + " sent an unreadable log entry: " + e.getMessage(),
          e);
    }
  }

  private static SigstoreServiceException refused(URI url, HttpTransport.Response response) {
    return new SigstoreServiceException(
        url,
        response.status(),
        "Rekor at "
            + url
            + " refused the log entry (HTTP "
            + response.status()
            + "): "
            + response.bodySnippet());
  }
}
