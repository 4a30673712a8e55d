package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsigning.core.testing.GcpMetadataServerStub;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keyless sign -> verify against the loopback Fulcio/Rekor/TSA with real OIDC tokens. */
class KeylessRoundTripTest {
  static final String IDENTITY =
      "https://github.com/example/models/.github/workflows/sign.yml@refs/heads/main";
  static final byte[] STATEMENT =
      ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"model\",\"digest\":"
              + "{\"sha256\":\"92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4\"}}],"
              + "\"predicateType\":\"https://model_signing/signature/v1.0\",\"predicate\":"
              + "{\"serialization\":{\"method\":\"files\",\"hash_type\":\"sha256\","
              + "\"allow_symlinks\":false,\"ignore_paths\":[]},\"resources\":[]}}")
          .getBytes(StandardCharsets.UTF_8);

  static OidcTestIssuer issuer;
  static LoopbackSigstore sigstore;

  @BeforeAll
  static void start() {
    issuer = new OidcTestIssuer();
    sigstore = LoopbackSigstore.builder(issuer.issuerUrl()).start();
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

  static SigstoreBundleVerifier verifier(LoopbackSigstore instance) {
    return new SigstoreBundleVerifier(
        new KeylessIdentityPolicy(
            IDENTITY, issuer.issuerUrl(), SigstoreTrustRoot.fromFile(instance.trustedRoot())));
  }

  @Test
  void staticTokenRoundTrip() throws Exception {
    byte[] bundle =
        new SigstoreKeylessSigner(
                sigstore.instance(), IdentityTokenSource.of(issuer.token(IDENTITY)))
            .sign(STATEMENT);

    assertArrayEquals(STATEMENT, verifier(sigstore).verify(bundle));

    JsonNode json = new ObjectMapper().readTree(bundle);
    assertEquals("application/vnd.dev.sigstore.bundle.v0.3+json", json.path("mediaType").asText());
    JsonNode entry = json.path("verificationMaterial").path("tlogEntries").get(0);
    assertEquals("dsse", entry.path("kindVersion").path("kind").asText());
    assertEquals(
        1,
        json.path("verificationMaterial")
            .path("timestampVerificationData")
            .path("rfc3161Timestamps")
            .size());
    assertEquals(
        "application/vnd.in-toto+json", json.path("dsseEnvelope").path("payloadType").asText());
  }

  @Test
  void metadataServerTokenRoundTrip() {
    try (var metadata = new GcpMetadataServerStub(issuer, IDENTITY)) {
      var source =
          new GcpMetadataTokenSource(
              Map.of(GcpMetadataTokenSource.HOST_VARIABLE, metadata.host())::get,
              HttpTransport.defaults());
      byte[] bundle = new SigstoreKeylessSigner(sigstore.instance(), source).sign(STATEMENT);
      assertArrayEquals(STATEMENT, verifier(sigstore).verify(bundle));
      assertEquals(1, metadata.tokensServed());
    }
  }

  @Test
  void tokenFileRoundTrip(@TempDir Path dir) throws Exception {
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, issuer.token(IDENTITY) + "\n");
    byte[] bundle =
        new SigstoreKeylessSigner(sigstore.instance(), new TokenFileSource(tokenFile))
            .sign(STATEMENT);
    assertArrayEquals(STATEMENT, verifier(sigstore).verify(bundle));
  }

  @Test
  void rootWithoutIntermediateAndWithoutTimestampAuthority() {
    try (var direct =
        LoopbackSigstore.builder(issuer.issuerUrl())
            .withIntermediate(false)
            .withTimestampAuthority(false)
            .start()) {
      assertTrue(direct.instance().tsaUrl().isEmpty());
      byte[] bundle =
          new SigstoreKeylessSigner(
                  direct.instance(), IdentityTokenSource.of(issuer.token(IDENTITY)))
              .sign(STATEMENT);
      assertArrayEquals(STATEMENT, verifier(direct).verify(bundle));
    }
  }

  /**
   * Leaves bundles and the trusted roots they verify with in target/keyless-samples/, for the
   * independent sigstore-js check.
   */
  @Test
  void writesSamplesForIndependentVerifiers() throws Exception {
    Path samples = Path.of(System.getProperty("basedir", ".")).resolve("target/keyless-samples");
    writeSample(samples.resolve("tsa-intermediate"), sigstore);
    try (var direct =
        LoopbackSigstore.builder(issuer.issuerUrl())
            .withIntermediate(false)
            .withTimestampAuthority(false)
            .start()) {
      writeSample(samples.resolve("no-tsa-root-only"), direct);
    }
  }

  private static void writeSample(Path dir, LoopbackSigstore instance) throws Exception {
    Files.createDirectories(dir);
    byte[] bundle =
        new SigstoreKeylessSigner(
                instance.instance(), IdentityTokenSource.of(issuer.token(IDENTITY)))
            .sign(STATEMENT);
    verifier(instance).verify(bundle);
    Files.write(dir.resolve("model.sig"), bundle);
    Files.write(dir.resolve("statement.json"), STATEMENT);
    Files.copy(
        instance.trustedRoot(),
        dir.resolve("trusted_root.json"),
        StandardCopyOption.REPLACE_EXISTING);
    var policy = new ObjectMapper().createObjectNode();
    policy.put("identity", IDENTITY).put("issuer", issuer.issuerUrl()).put("sanType", "URI");
    Files.writeString(dir.resolve("policy.json"), policy.toPrettyString());
  }
}
