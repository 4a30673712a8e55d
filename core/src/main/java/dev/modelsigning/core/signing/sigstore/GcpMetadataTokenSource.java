package dev.modelsigning.core.signing.sigstore;

import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/**
 * The GCP metadata server's identity endpoint (GCE, GKE with workload identity, Dataflow and Vertex
 * workers). Honours {@code GCE_METADATA_HOST} like Google's client libraries do.
 */
public final class GcpMetadataTokenSource implements IdentityTokenSource {
  public static final String HOST_VARIABLE = "GCE_METADATA_HOST";
  public static final String DEFAULT_HOST = "metadata.google.internal";
  private static final String IDENTITY_PATH =
      "/computeMetadata/v1/instance/service-accounts/default/identity"
          + "?audience=sigstore&format=full";

  private final URI url;
  private final HttpTransport http;

  public GcpMetadataTokenSource() {
    this(System::getenv, HttpTransport.defaults());
  }

  GcpMetadataTokenSource(Function<String, String> env, HttpTransport http) {
    String host = env.apply(HOST_VARIABLE);
    if (host == null || host.isBlank()) {
      host = DEFAULT_HOST;
    }
    this.url = URI.create("http://" + host.strip() + IDENTITY_PATH);
    this.http = http;
  }

  @Override
  public String token() {
    HttpTransport.Response response;
    try {
      response = http.get(url, Map.of("Metadata-Flavor", "Google"));
    } catch (SigstoreServiceException e) {
      // Not on GCP (name does not resolve, nothing listens): let a chain try the next source.
      throw new TokenUnavailableException(describe() + " is not reachable", e);
    }
    if (response.status() != 200) {
      throw new SigstoreServiceException(
          url,
          response.status(),
          describe() + " answered HTTP " + response.status() + ": " + response.bodySnippet());
    }
    String token = response.bodyText().strip();
    if (token.isEmpty()) {
      throw new SigstoreServiceException(url, 200, describe() + " returned an empty token");
    }
    return token;
  }

  @Override
  public String describe() {
    return "GCP metadata server " + url;
  }
}
