package dev.modelsigning.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The GCP metadata server's identity endpoint on 127.0.0.1: answers with a token from the test
 * issuer when {@code Metadata-Flavor: Google} is sent, 403 without it and 400 without an audience,
 * like the real one. Point {@code GCE_METADATA_HOST} at {@link #host()}.
 */
public final class GcpMetadataServerStub implements AutoCloseable {
  static final String IDENTITY_PATH =
      "/computeMetadata/v1/instance/service-accounts/default/identity";

  private final OidcTestIssuer issuer;
  private final String subject;
  private final HttpServer server;
  private final AtomicInteger served = new AtomicInteger();

  public GcpMetadataServerStub(OidcTestIssuer issuer, String subject) {
    this.issuer = issuer;
    this.subject = subject;
    this.server = Http.serve(Map.of(IDENTITY_PATH, this::identity));
  }

  /** {@code 127.0.0.1:PORT}, the form {@code GCE_METADATA_HOST} takes. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** How many tokens were handed out. */
  public int tokensServed() {
    return served.get();
  }

  private void identity(HttpExchange exchange) {
    if (!"Google".equals(exchange.getRequestHeaders().getFirst("Metadata-Flavor"))) {
      Http.reply(exchange, 403, "text/plain", "Missing required header: Metadata-Flavor");
      return;
    }
    String audience = query(exchange).get("audience");
    if (audience == null || audience.isEmpty()) {
      Http.reply(exchange, 400, "text/plain", "non-empty audience parameter required");
      return;
    }
    served.incrementAndGet();
    Http.reply(exchange, 200, "text/plain", issuer.token(subject, audience, 3600, Map.of()));
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        params.put(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  @Override
  public void close() {
    Http.stop(server);
  }
}
