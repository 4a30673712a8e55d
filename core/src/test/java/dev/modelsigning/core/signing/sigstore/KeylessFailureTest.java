package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What keyless signing and verification must refuse, and how they say so. */
class KeylessFailureTest {
  static final String IDENTITY = KeylessRoundTripTest.IDENTITY;
  static final byte[] STATEMENT = KeylessRoundTripTest.STATEMENT;
  static final ObjectMapper JSON = new ObjectMapper();

  static OidcTestIssuer issuer;
  static LoopbackSigstore sigstore;
  static byte[] bundle;

  @BeforeAll
  static void start() {
    issuer = new OidcTestIssuer();
    sigstore = LoopbackSigstore.builder(issuer.issuerUrl()).start();
    bundle = sign(sigstore, issuer.token(IDENTITY));
  }

  @AfterAll
  static void stop() {
    if (sigstore != null) {
      sigstore.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  static byte[] sign(LoopbackSigstore instance, String token) {
    return new SigstoreKeylessSigner(instance.instance(), IdentityTokenSource.of(token))
        .sign(STATEMENT);
  }

  static SigstoreBundleVerifier verifier(String identity, String issuerUrl, LoopbackSigstore root) {
    return new SigstoreBundleVerifier(
        new KeylessIdentityPolicy(
            identity, issuerUrl, SigstoreTrustRoot.fromFile(root.trustedRoot())));
  }

  static VerificationException rejected(SigstoreBundleVerifier verifier, byte[] bundle) {
    return assertThrows(VerificationException.class, () -> verifier.verify(bundle));
  }

  @Test
  void wrongIdentity() {
    var e = rejected(verifier("https://github.com/evil/x", issuer.issuerUrl(), sigstore), bundle);
    assertTrue(e.getMessage().contains("https://github.com/evil/x"), e.getMessage());
    assertTrue(e.getMessage().contains(IDENTITY), e.getMessage());
  }

  @Test
  void wrongIssuer() {
    var e =
        rejected(
            verifier(IDENTITY, "https://token.actions.githubusercontent.com", sigstore), bundle);
    assertTrue(e.getMessage().contains("issuer"), e.getMessage());
  }

  @Test
  void wrongTrustRoot() {
    try (var other = LoopbackSigstore.builder(issuer.issuerUrl()).start()) {
      var e = rejected(verifier(IDENTITY, issuer.issuerUrl(), other), bundle);
      assertTrue(e.getMessage().contains("does not chain"), e.getMessage());
    }
  }

  @Test
  void tamperedPayload() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(bundle);
    String tampered =
        new String(STATEMENT, StandardCharsets.UTF_8).replace("\"files\"", "\"shards\"");
    ((ObjectNode) json.path("dsseEnvelope"))
        .put(
            "payload",
            Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8)));
    rejected(verifier(IDENTITY, issuer.issuerUrl(), sigstore), JSON.writeValueAsBytes(json));
  }

  @Test
  void tamperedSignature() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(bundle);
    ObjectNode signature = (ObjectNode) json.path("dsseEnvelope").path("signatures").get(0);
    byte[] sig = Base64.getDecoder().decode(signature.path("sig").asText());
    sig[sig.length - 1] ^= 0x01;
    signature.put("sig", Base64.getEncoder().encodeToString(sig));
    rejected(verifier(IDENTITY, issuer.issuerUrl(), sigstore), JSON.writeValueAsBytes(json));
  }

  /** sigstore-java 2.0.0 accepts this; our own check must not. */
  @Test
  void loggedOutsideTheCertificateValidity() {
    try (var early =
        LoopbackSigstore.builder(issuer.issuerUrl())
            .withTimestampAuthority(false)
            .integratedTime(Instant.now().minus(Duration.ofHours(1)))
            .start()) {
      byte[] earlyBundle = sign(early, issuer.token(IDENTITY));
      var e = rejected(verifier(IDENTITY, issuer.issuerUrl(), early), earlyBundle);
      assertTrue(
          e.getMessage().contains("outside the signing certificate's validity"), e.getMessage());
    }
  }

  @Test
  void certificateAlreadyExpiredWhenLogged() {
    try (var expired =
        LoopbackSigstore.builder(issuer.issuerUrl())
            .withTimestampAuthority(false)
            .issueExpiredCertificates(true)
            .start()) {
      byte[] expiredBundle = sign(expired, issuer.token(IDENTITY));
      var e = rejected(verifier(IDENTITY, issuer.issuerUrl(), expired), expiredBundle);
      assertTrue(e.getMessage().contains("transparency log integrated"), e.getMessage());
    }
  }

  @Test
  void expiredTokenIsRefusedByTheCertificateAuthority() {
    String token = issuer.token(IDENTITY, "sigstore", -120, Map.of());
    var e = assertThrows(IdentityTokenRejectedException.class, () -> sign(sigstore, token));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
    assertTrue(e.getMessage().contains(sigstore.fulcioUrl().toString()), e.getMessage());
    assertFalse(e.getMessage().contains(token), "token leaked into the message");
  }

  @Test
  void tokenForAnotherAudienceIsRefused() {
    String token = issuer.token(IDENTITY, "not-sigstore", 600, Map.of());
    var e = assertThrows(IdentityTokenRejectedException.class, () -> sign(sigstore, token));
    assertTrue(e.getMessage().contains("audience"), e.getMessage());
  }

  @Test
  void unreachableFulcioIsNamed() throws Exception {
    int closedPort;
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    URI fulcio = URI.create("http://127.0.0.1:" + closedPort);
    var instance =
        new SigstoreInstance(fulcio, sigstore.rekorUrl(), Optional.empty(), Optional.empty());
    String token = issuer.token(IDENTITY);
    var e =
        assertThrows(
            SigstoreServiceException.class,
            () ->
                new SigstoreKeylessSigner(instance, IdentityTokenSource.of(token)).sign(STATEMENT));
    assertTrue(e.getMessage().contains(fulcio + "/api/v2/signingCert"), e.getMessage());
    assertFalse(e.getMessage().contains(token));
  }

  @Test
  void noTokenSourceListsEverySourceTried() {
    Map<String, String> env = Map.of(GcpMetadataTokenSource.HOST_VARIABLE, "127.0.0.1:1");
    var chain =
        new ChainedTokenSource(
            java.util.List.of(
                new EnvironmentTokenSource(EnvironmentTokenSource.DEFAULT_VARIABLE, env::get),
                new TokenFileSource(java.nio.file.Path.of("/nonexistent/token")),
                new GitHubActionsTokenSource(env::get, HttpTransport.defaults()),
                new GcpMetadataTokenSource(env::get, HttpTransport.defaults())));
    var e =
        assertThrows(
            InvalidInputException.class,
            () -> new SigstoreKeylessSigner(sigstore.instance(), chain).sign(STATEMENT));
    for (String expected :
        new String[] {
          "SIGSTORE_ID_TOKEN", "/nonexistent/token", "ACTIONS_ID_TOKEN_REQUEST_URL", "127.0.0.1:1"
        }) {
      assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
  }
}
