package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.testing.GcpMetadataServerStub;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTokenSourceTest {
  static final String SUBJECT = "https://kubernetes.io/namespaces/ml/serviceaccounts/trainer";
  static OidcTestIssuer issuer;

  @BeforeAll
  static void start() {
    issuer = new OidcTestIssuer();
  }

  @AfterAll
  static void stop() {
    issuer.close();
  }

  @Test
  void staticTokenRejectsBlank() {
    assertThrows(InvalidInputException.class, () -> IdentityTokenSource.of("  "));
    assertEquals("abc", IdentityTokenSource.of(" abc\n").token());
  }

  @Test
  void environmentVariable() {
    var set =
        new EnvironmentTokenSource("SIGSTORE_ID_TOKEN", Map.of("SIGSTORE_ID_TOKEN", "t1")::get);
    assertEquals("t1", set.token());
    var unset = new EnvironmentTokenSource("SIGSTORE_ID_TOKEN", name -> null);
    assertThrows(TokenUnavailableException.class, unset::token);
  }

  @Test
  void tokenFileIsReadAgainOnEveryCall(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    var source = new TokenFileSource(file);
    assertThrows(TokenUnavailableException.class, source::token);
    Files.writeString(file, "first\n");
    assertEquals("first", source.token());
    Files.writeString(file, "rotated");
    assertEquals("rotated", source.token());
    Files.writeString(file, "");
    var e = assertThrows(InvalidInputException.class, source::token);
    assertFalse(e instanceof TokenUnavailableException, "an empty file is an error, not absence");
  }

  @Test
  void metadataServerGivesAnIdentityTokenForAudienceSigstore() {
    try (var metadata = new GcpMetadataServerStub(issuer, SUBJECT)) {
      var source =
          new GcpMetadataTokenSource(
              Map.of(GcpMetadataTokenSource.HOST_VARIABLE, metadata.host())::get,
              HttpTransport.defaults());
      var claims = IdentityTokenClaims.parseUnverified(source.token());
      assertEquals(SUBJECT, claims.subject());
      assertEquals(issuer.issuerUrl(), claims.issuer());
      assertTrue(source.describe().contains(metadata.host()));
    }
  }

  @Test
  void metadataServerStubRefusesRequestsWithoutTheFlavorHeaderOrAudience() throws Exception {
    try (var metadata = new GcpMetadataServerStub(issuer, SUBJECT)) {
      HttpClient client = HttpClient.newHttpClient();
      String base =
          "http://"
              + metadata.host()
              + "/computeMetadata/v1/instance/service-accounts/default/identity";
      var noHeader =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "?audience=sigstore")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(403, noHeader.statusCode());
      var noAudience =
          client.send(
              HttpRequest.newBuilder(URI.create(base)).header("Metadata-Flavor", "Google").build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(400, noAudience.statusCode());
      assertEquals(0, metadata.tokensServed());
    }
  }

  @Test
  void gitHubActionsAsksForAudienceSigstoreWithTheRequestToken() throws Exception {
    AtomicReference<String> seenQuery = new AtomicReference<>();
    AtomicReference<String> seenAuth = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/token",
        exchange -> {
          seenQuery.set(exchange.getRequestURI().getQuery());
          seenAuth.set(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body = "{\"count\":1,\"value\":\"gha-token\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/token?api-version=2.0";
      var env =
          Map.of(
              GitHubActionsTokenSource.URL_VARIABLE,
              url,
              GitHubActionsTokenSource.TOKEN_VARIABLE,
              "request-secret");
      var source = new GitHubActionsTokenSource(env::get, HttpTransport.defaults());
      assertEquals("gha-token", source.token());
      assertEquals("api-version=2.0&audience=sigstore", seenQuery.get());
      assertEquals("bearer request-secret", seenAuth.get());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void chainTakesTheFirstConfiguredSource() {
    var chain =
        new ChainedTokenSource(
            List.of(
                new EnvironmentTokenSource("SIGSTORE_ID_TOKEN", name -> null),
                IdentityTokenSource.of("second"),
                IdentityTokenSource.of("third")));
    assertEquals("second", chain.token());
  }

  @Test
  void aConfiguredSourceThatFailsStopsTheChain() {
    try (var metadata = new GcpMetadataServerStub(issuer, SUBJECT)) {
      // A metadata host that answers, but with 404 for this path: configured and broken.
      var broken =
          new GcpMetadataTokenSource(
              Map.of(GcpMetadataTokenSource.HOST_VARIABLE, metadata.host() + "/nothing-here")::get,
              HttpTransport.defaults());
      var chain = new ChainedTokenSource(List.of(broken, IdentityTokenSource.of("fallback")));
      var e = assertThrows(SigstoreServiceException.class, chain::token);
      assertEquals(404, e.status());
    }
  }

  @Test
  void claimsPickTheProofOfPossessionSubject() {
    var uri = IdentityTokenClaims.parseUnverified(issuer.token(SUBJECT));
    assertEquals(SUBJECT, uri.proofOfPossessionSubject());
    assertThrows(InvalidInputException.class, () -> IdentityTokenClaims.parseUnverified("nope"));
  }

  /**
   * Claims are read with the library's one strict JSON configuration: a token naming two subjects
   * is refused rather than read as whichever one a lenient parser keeps.
   */
  @Test
  void claimsWithADuplicateSubjectAreRefused() {
    String claims = "{\"iss\":\"https://issuer.example\",\"sub\":\"alice\",\"sub\":\"bob\"}";
    String jwt = "e30." + base64Url(claims) + ".c2ln";
    var e =
        assertThrows(InvalidInputException.class, () -> IdentityTokenClaims.parseUnverified(jwt));
    assertTrue(e.getMessage().contains("unreadable claims"), e.getMessage());
    String single = "{\"iss\":\"https://issuer.example\",\"sub\":\"alice\"}";
    assertEquals(
        "alice",
        IdentityTokenClaims.parseUnverified("e30." + base64Url(single) + ".c2ln").subject());
  }

  private static String base64Url(String text) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
