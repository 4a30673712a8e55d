package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import dev.modelsigning.core.testing.SigstoreJs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless signing that follows a signing config selecting a Rekor v2 log, against the loopback
 * Rekor v2 (Ed25519 checkpoints, like public good), and verification of what it wrote, by this
 * project and by {@code @sigstore/verify}.
 */
class RekorV2SigningTest {
  static final String IDENTITY = KeylessRoundTripTest.IDENTITY;
  static final byte[] STATEMENT = KeylessRoundTripTest.STATEMENT;

  static OidcTestIssuer issuer;
  static LoopbackSigstore sigstore;

  @BeforeAll
  static void start() {
    issuer = new OidcTestIssuer();
    sigstore = LoopbackSigstore.builder(issuer.issuerUrl()).withRekorV2(true).start();
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

  static byte[] sign(LoopbackSigstore instance, RekorV2Entry kind) {
    return new SigstoreKeylessSigner(
            instance.instance(), IdentityTokenSource.of(issuer.token(IDENTITY)))
        .withRekorV2Entry(kind)
        .sign(STATEMENT);
  }

  static KeylessVerificationResult verify(LoopbackSigstore instance, byte[] bundle) {
    return new SigstoreBundleVerifier(
            new KeylessIdentityPolicy(
                IDENTITY, issuer.issuerUrl(), SigstoreTrustRoot.fromFile(instance.trustedRoot())))
        .verify(BundleReader.read(bundle));
  }

  static JsonNode entryOf(byte[] bundle) {
    return Json.parse(bundle, "bundle").path("verificationMaterial").path("tlogEntries").get(0);
  }

  @Test
  void signingConfigSelectsTheRekorV2Log() {
    SigstoreInstance instance = sigstore.instance();
    assertEquals(2, instance.rekorApiVersion());
    assertEquals(sigstore.rekorV2Url().orElseThrow(), instance.rekorUrl());
  }

  @Test
  void writesAHashedRekordEntryByDefault() {
    int before = sigstore.rekorV2Size();
    byte[] bundle =
        new SigstoreKeylessSigner(
                sigstore.instance(), IdentityTokenSource.of(issuer.token(IDENTITY)))
            .sign(STATEMENT);
    assertEquals(before + 1, sigstore.rekorV2Size(), "the entry went to the Rekor v2 log");

    KeylessVerificationResult result = verify(sigstore, bundle);
    assertArrayEquals(STATEMENT, result.statement());
    assertEquals("hashedrekord/0.0.2", result.logEntryKind());
    assertEquals(IDENTITY, result.identity());
    assertTrue(result.notes().isEmpty(), result.notes().toString());

    JsonNode entry = entryOf(bundle);
    assertEquals("hashedrekord", entry.path("kindVersion").path("kind").asText());
    assertEquals("0.0.2", entry.path("kindVersion").path("version").asText());
    assertFalse(entry.has("inclusionPromise"), "Rekor v2 gives no inclusion promise");
    assertEquals(0, entry.path("integratedTime").asLong(0), "Rekor v2 gives no integrated time");
    assertTrue(entry.path("inclusionProof").path("checkpoint").has("envelope"));
    assertEquals(
        1,
        Json.parse(bundle, "bundle")
            .path("verificationMaterial")
            .path("timestampVerificationData")
            .path("rfc3161Timestamps")
            .size(),
        "the RFC 3161 timestamp is mandatory with Rekor v2");
  }

  @Test
  void writesADsseEntryOnRequest() {
    byte[] bundle = sign(sigstore, RekorV2Entry.DSSE);
    KeylessVerificationResult result = verify(sigstore, bundle);
    assertArrayEquals(STATEMENT, result.statement());
    assertEquals("dsse/0.0.2", result.logEntryKind());
  }

  @Test
  void ecdsaCheckpointsVerifyToo() {
    try (var ecdsa =
        LoopbackSigstore.builder(issuer.issuerUrl()).withRekorV2(true).rekorV2Ecdsa(true).start()) {
      for (RekorV2Entry kind : RekorV2Entry.values()) {
        assertArrayEquals(STATEMENT, verify(ecdsa, sign(ecdsa, kind)).statement());
      }
    }
  }

  /** sigstore-java (the second opinion on Rekor v1 dsse) must cope with an Ed25519 v2 log. */
  @Test
  void rekorV1EntriesStillVerifyWithATrustRootListingRekorV2() {
    SigstoreInstance v2 = sigstore.instance();
    SigstoreInstance v1 =
        new SigstoreInstance(v2.fulcioUrl(), sigstore.rekorUrl(), 1, v2.tsaUrl(), v2.trustedRoot());
    byte[] bundle =
        new SigstoreKeylessSigner(v1, IdentityTokenSource.of(issuer.token(IDENTITY)))
            .sign(STATEMENT);
    assertEquals("dsse/0.0.1", verify(sigstore, bundle).logEntryKind());
  }

  @Test
  void rekorV2WithoutATimestampAuthorityIsRefusedBeforeSigning() {
    try (var noTsa =
        LoopbackSigstore.builder(issuer.issuerUrl())
            .withRekorV2(true)
            .withTimestampAuthority(false)
            .start()) {
      var e =
          assertThrows(InvalidInputException.class, () -> sign(noTsa, RekorV2Entry.HASHEDREKORD));
      assertTrue(e.getMessage().contains("timestamp authority"), e.getMessage());
      assertEquals(0, noTsa.logSize(), "nothing was logged");
    }
  }

  @Test
  void aRekorV2BundleWithoutTimestampIsRefused() throws Exception {
    ObjectNode json = (ObjectNode) Json.MAPPER.readTree(sign(sigstore, RekorV2Entry.HASHEDREKORD));
    ((ObjectNode) json.path("verificationMaterial")).remove("timestampVerificationData");
    var e =
        assertThrows(
            VerificationException.class,
            () -> verify(sigstore, Json.MAPPER.writeValueAsBytes(json)));
    assertTrue(
        e.getMessage().contains("Rekor v2 entry (hashedrekord/0.0.2) carries no time"),
        e.getMessage());
  }

  /** The bar: the independent verifier accepts the Rekor v2 bundles we produce. */
  @Test
  void sigstoreJsAcceptsTheDsseRekorV2Bundle(@TempDir Path dir) throws Exception {
    Path bundle = dir.resolve("model.sig");
    Files.write(bundle, sign(sigstore, RekorV2Entry.DSSE));
    SigstoreJs.Result result =
        SigstoreJs.verifyKeyless(bundle, sigstore.trustedRoot(), IDENTITY, issuer.issuerUrl());
    assertTrue(result.ok(), result.toString());
    assertEquals(1, result.report().path("tlogEntries").asInt());
  }

  /**
   * {@code @sigstore/verify} 3.1.1 (the pinned harness; 4.x needs Node 22) compares a hashedrekord
   * entry's digest with SHA-256 of the DSSE payload, while Rekor v2 records the hash of the PAE
   * (the bytes the signature covers): it cannot verify a DSSE bundle with a hashedrekord entry.
   * 4.1.0 fixed that ("Support verification of DSSE bundles with a Rekor v2 hashedrekord entry"),
   * see {@link #sigstoreJs4AcceptsTheHashedRekordRekorV2Bundle}. This test pins the known gap so a
   * change in the default harness is noticed.
   */
  @Test
  void sigstoreJs311CannotVerifyHashedRekordDsseBundles(@TempDir Path dir) throws Exception {
    Path bundle = dir.resolve("model.sig");
    Files.write(bundle, sign(sigstore, RekorV2Entry.HASHEDREKORD));
    SigstoreJs.Result result =
        SigstoreJs.verifyKeyless(bundle, sigstore.trustedRoot(), IDENTITY, issuer.issuerUrl());
    assertFalse(result.ok(), result.toString());
    assertTrue(result.error().contains("TLOG_BODY_ERROR: digest mismatch"), result.error());
  }

  /**
   * The same bundle through {@code @sigstore/verify} 4.1.3 (installed beside 3.1.1 as {@code
   * @sigstore/verify-4}; it runs on Node 20 although it declares Node 22): accepted.
   */
  @Test
  void sigstoreJs4AcceptsTheHashedRekordRekorV2Bundle(@TempDir Path dir) throws Exception {
    Path bundle = dir.resolve("model.sig");
    Files.write(bundle, sign(sigstore, RekorV2Entry.HASHEDREKORD));
    SigstoreJs.Result result =
        SigstoreJs.verifyKeyless(
            bundle, sigstore.trustedRoot(), IDENTITY, issuer.issuerUrl(), "--verify-4");
    assertTrue(result.ok(), result.toString());
    assertEquals(1, result.report().path("tlogEntries").asInt());
  }

  @Test
  void sigstoreJs4AlsoAcceptsTheDsseRekorV2Bundle(@TempDir Path dir) throws Exception {
    Path bundle = dir.resolve("model.sig");
    Files.write(bundle, sign(sigstore, RekorV2Entry.DSSE));
    SigstoreJs.Result result =
        SigstoreJs.verifyKeyless(
            bundle, sigstore.trustedRoot(), IDENTITY, issuer.issuerUrl(), "--verify-4");
    assertTrue(result.ok(), result.toString());
  }
}
