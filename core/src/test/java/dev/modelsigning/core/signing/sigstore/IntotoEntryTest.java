package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import dev.modelsigning.core.testing.SigstoreJs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DSSE bundles whose log entry is a Rekor v1 {@code intoto} 0.0.2 entry. */
class IntotoEntryTest {
  static final String IDENTITY = KeylessRoundTripTest.IDENTITY;
  static final byte[] STATEMENT = KeylessRoundTripTest.STATEMENT;

  static OidcTestIssuer issuer;
  static LoopbackSigstore sigstore;
  static byte[] bundle;

  @BeforeAll
  static void start() throws Exception {
    issuer = new OidcTestIssuer();
    sigstore = LoopbackSigstore.builder(issuer.issuerUrl()).start();
    bundle = IntotoBundles.sign(sigstore, issuer.token(IDENTITY), STATEMENT);
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

  static KeylessVerificationResult verify(LoopbackSigstore instance, byte[] bytes) {
    return new SigstoreBundleVerifier(
            new KeylessIdentityPolicy(
                IDENTITY, issuer.issuerUrl(), SigstoreTrustRoot.fromFile(instance.trustedRoot())))
        .verify(BundleReader.read(bytes));
  }

  @Test
  void verifies() {
    KeylessVerificationResult result = verify(sigstore, bundle);
    assertArrayEquals(STATEMENT, result.statement());
    assertEquals("intoto/0.0.2", result.logEntryKind());
  }

  /** The log's integrated time under its SET is a signing time of its own. */
  @Test
  void verifiesWithoutATimestampAuthority() throws Exception {
    try (var noTsa =
        LoopbackSigstore.builder(issuer.issuerUrl()).withTimestampAuthority(false).start()) {
      byte[] plain = IntotoBundles.sign(noTsa, issuer.token(IDENTITY), STATEMENT);
      assertEquals("intoto/0.0.2", verify(noTsa, plain).logEntryKind());
    }
  }

  /** An entry that recorded another signature cannot vouch for this one. */
  @Test
  void refusesAnEntryThatRecordedAnotherSignature() throws Exception {
    byte[] swapped = IntotoBundles.sign(sigstore, issuer.token(IDENTITY), STATEMENT, true);
    var e = assertThrows(VerificationException.class, () -> verify(sigstore, swapped));
    assertTrue(
        e.getMessage().contains("does not match the bundle")
            && e.getMessage().contains("spec.content.envelope.signatures[0].sig"),
        e.getMessage());
  }

  /** The SET covers the body: a changed body is caught there already. */
  @Test
  void refusesATamperedLoggedBody() throws Exception {
    ObjectNode json = (ObjectNode) Json.MAPPER.readTree(bundle);
    ObjectNode entry = (ObjectNode) json.path("verificationMaterial").path("tlogEntries").get(0);
    String body =
        new String(
            Base64.getDecoder().decode(entry.path("canonicalizedBody").asText()),
            StandardCharsets.UTF_8);
    ObjectNode parsed = (ObjectNode) Json.MAPPER.readTree(body);
    ((ObjectNode) parsed.path("spec").path("content").path("payloadHash"))
        .put("value", "00".repeat(32));
    entry.put(
        "canonicalizedBody",
        Base64.getEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(parsed)));
    var e =
        assertThrows(
            VerificationException.class,
            () -> verify(sigstore, Json.MAPPER.writeValueAsBytes(json)));
    assertTrue(e.getMessage().contains("inclusion promise"), e.getMessage());
  }

  @Test
  void sigstoreJsAcceptsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("model.sig");
    Files.write(file, bundle);
    var result =
        SigstoreJs.verifyKeyless(file, sigstore.trustedRoot(), IDENTITY, issuer.issuerUrl());
    assertTrue(result.ok(), result.toString());
  }
}
