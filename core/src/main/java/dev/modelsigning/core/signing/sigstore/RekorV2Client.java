package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.Json;
import java.net.URI;

/**
 * Rekor v2 ({@code POST /api/v2/log/entries}): sends a {@code CreateEntryRequest} and returns the
 * {@code TransparencyLogEntry} the log answers with, which goes into the bundle as it is. Rekor v2
 * answers only once a signed checkpoint covers the entry, so the reply carries its inclusion proof.
 */
final class RekorV2Client {
  private final URI entriesUrl;
  private final HttpTransport http;

  public RekorV2Client(URI rekorUrl, HttpTransport http) {
    this.entriesUrl = Urls.resolve(rekorUrl, "api/v2/log/entries");
    this.http = http;
  }

  /**
   * @param createEntryRequest {@code {"hashedRekordRequestV002": ...}} or {@code
   *     {"dsseRequestV002": ...}}
   * @return the log entry in bundle form (proto3 JSON)
   */
  public ObjectNode upload(ObjectNode createEntryRequest) {
    HttpTransport.Response response = http.postJson(entriesUrl, createEntryRequest, "Rekor v2");
    if (response.status() != 201 && response.status() != 200) {
      throw new SigstoreServiceException(
          entriesUrl,
          response.status(),
          "Rekor v2 at "
              + entriesUrl
              + " refused the log entry (HTTP "
              + response.status()
              + "): "
              + response.bodySnippet());
    }
    try {
      JsonNode entry = Json.parse(response.body(), "Rekor v2 response");
      BundleLogEntry.parse(entry); // fail here, not in a verifier, if it is not a usable entry
      if (!entry.isObject()) {
        throw new VerificationException("not an object");
      }
      return (ObjectNode) entry;
    } catch (VerificationException e) {
      throw new SigstoreServiceException(
          entriesUrl,
          "Rekor v2 at " + entriesUrl + " sent an unusable log entry: " + e.getMessage(),
          e);
    }
  }
}
