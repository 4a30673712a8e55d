package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.signing.sigstore.SigstoreBundleVerifier.UnlistedTimestamps;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust root's validity windows and listings are enforced: a log, CT log or timestamp authority
 * key without a validity start, a timestamp authority without its CA, an entry or timestamp in the
 * future, a Rekor v1 or v2 entry outside its log key's window, a certificate or timestamp authority
 * used outside its window, and timestamps from authorities the trust root does not list. Each case
 * takes a real loopback bundle and a trust root edited in exactly one place, and expects a refusal
 * naming that check (or, for a timestamp from an unlisted authority, an explicit note or refusal).
 */
class TrustRootChecksTest {
  static final String IDENTITY = KeylessRoundTripTest.IDENTITY;
  static final byte[] STATEMENT = KeylessRoundTripTest.STATEMENT;

  static OidcTestIssuer issuer;
  static LoopbackSigstore sigstore;

  /** Rekor v1 dsse entry, plus a TSA timestamp. */
  static byte[] v1Bundle;

  /** Rekor v2 hashedrekord entry, plus a TSA timestamp (its only time). */
  static byte[] v2Bundle;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    issuer = new OidcTestIssuer();
    sigstore = LoopbackSigstore.builder(issuer.issuerUrl()).withRekorV2(true).start();
    SigstoreInstance v2 = sigstore.instance();
    SigstoreInstance v1 =
        new SigstoreInstance(v2.fulcioUrl(), sigstore.rekorUrl(), 1, v2.tsaUrl(), v2.trustedRoot());
    v1Bundle =
        new SigstoreKeylessSigner(v1, IdentityTokenSource.of(issuer.token(IDENTITY)))
            .sign(STATEMENT);
    v2Bundle =
        new SigstoreKeylessSigner(v2, IdentityTokenSource.of(issuer.token(IDENTITY)))
            .sign(STATEMENT);
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

  /** A copy of the loopback trust root with {@code edit} applied. */
  Path root(Consumer<ObjectNode> edit) throws Exception {
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(sigstore.trustedRoot().toFile());
    edit.accept(root);
    Path file = Files.createTempFile(dir, "trusted_root", ".json");
    Files.write(file, Json.MAPPER.writeValueAsBytes(root));
    return file;
  }

  static SigstoreBundleVerifier verifier(Path root) {
    return verifier(root, UnlistedTimestamps.SET_ASIDE);
  }

  static SigstoreBundleVerifier verifier(Path root, UnlistedTimestamps unlisted) {
    return new SigstoreBundleVerifier(
        new KeylessIdentityPolicy(IDENTITY, issuer.issuerUrl(), SigstoreTrustRoot.fromFile(root)),
        unlisted);
  }

  static VerificationException refused(SigstoreBundleVerifier verifier, byte[] bundle) {
    return assertThrows(
        VerificationException.class, () -> verifier.verify(BundleReader.read(bundle)));
  }

  static void assertMentions(Exception e, String text) {
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  /** The {@code index}-th element of a trust root list, for editing. */
  static ObjectNode at(ObjectNode root, String list, int index) {
    return (ObjectNode) root.path(list).get(index);
  }

  /** Both loopback logs, Rekor v1 first. */
  static ObjectNode tlogKey(ObjectNode root, int index) {
    return (ObjectNode) at(root, "tlogs", index).path("publicKey");
  }

  static String start(JsonNode withValidFor) {
    return withValidFor.path("validFor").path("start").asText();
  }

  static String plusHour(String instant) {
    return Instant.parse(instant).plus(Duration.ofHours(1)).toString();
  }

  @Test
  void untouchedRootVerifiesBoth() throws Exception {
    Path root = root(r -> {});
    assertArrayEquals(STATEMENT, verifier(root).verify(v1Bundle));
    assertArrayEquals(STATEMENT, verifier(root).verify(v2Bundle));
  }

  @Test
  void aTransparencyLogKeyWithoutValidityStartIsRefused() throws Exception {
    Path root = root(r -> ((ObjectNode) tlogKey(r, 1).path("validFor")).remove("start"));
    var e = assertThrows(InvalidInputException.class, () -> SigstoreTrustRoot.fromFile(root));
    assertMentions(e, "has no validity start");
    assertMentions(e, sigstore.rekorV2Url().orElseThrow().toString());
  }

  @Test
  void aTransparencyLogKeyWithoutAnyValidityIsRefused() throws Exception {
    Path root = root(r -> tlogKey(r, 0).remove("validFor"));
    var e = assertThrows(InvalidInputException.class, () -> SigstoreTrustRoot.fromFile(root));
    assertMentions(e, "transparency log " + sigstore.rekorUrl() + " has no validity start");
  }

  @Test
  void aCtLogKeyWithoutValidityStartIsRefused() throws Exception {
    Path root =
        root(
            r ->
                ((ObjectNode) at(r, "ctlogs", 0).path("publicKey").path("validFor"))
                    .remove("start"));
    var e = assertThrows(InvalidInputException.class, () -> SigstoreTrustRoot.fromFile(root));
    assertMentions(e, "certificate transparency log");
  }

  @Test
  void aTimestampAuthorityWithoutItsCaIsRefused() throws Exception {
    Path root =
        root(
            r ->
                ((ArrayNode)
                        at(r, "timestampAuthorities", 0).path("certChain").path("certificates"))
                    .remove(1));
    var e = assertThrows(InvalidInputException.class, () -> SigstoreTrustRoot.fromFile(root));
    assertMentions(e, "lists only its signing certificate");
  }

  @Test
  void anEntryIntegratedInTheFutureIsRefused() {
    try (var ahead =
        LoopbackSigstore.builder(issuer.issuerUrl())
            .withTimestampAuthority(false)
            .integratedTime(Instant.now().plus(Duration.ofHours(1)))
            .leafValidity(Duration.ofHours(3))
            .start()) {
      byte[] bundle =
          new SigstoreKeylessSigner(
                  ahead.instance(), IdentityTokenSource.of(issuer.token(IDENTITY)))
              .sign(STATEMENT);
      var e = refused(verifier(ahead.trustedRoot()), bundle);
      assertMentions(e, "the transparency log integrated the entry at");
      assertMentions(e, "in the future");
    }
  }

  /** Rekor v2's time is the TSA's: a verifier clock an hour behind sees it in the future. */
  @Test
  void aTimestampInTheFutureIsRefused() {
    Clock behind = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    var verifier =
        new SigstoreBundleVerifier(
            new KeylessIdentityPolicy(
                IDENTITY, issuer.issuerUrl(), SigstoreTrustRoot.fromFile(sigstore.trustedRoot())),
            UnlistedTimestamps.SET_ASIDE,
            behind);
    var e = refused(verifier, v2Bundle);
    assertMentions(e, "the RFC 3161 timestamp from");
    assertMentions(e, "in the future");
  }

  @Test
  void aRekorV1EntryOutsideItsLogKeyValidityIsRefused() throws Exception {
    Path root =
        root(
            r -> {
              ObjectNode key = tlogKey(r, 0);
              ((ObjectNode) key.path("validFor")).put("end", plusHour(start(key)));
            });
    var e = refused(verifier(root), v1Bundle);
    assertMentions(e, "the transparency log integrated the entry at");
    assertMentions(e, "outside the validity of the key of transparency log " + sigstore.rekorUrl());
  }

  @Test
  void aRekorV2EntryOutsideItsLogKeyValidityIsRefused() throws Exception {
    Path root =
        root(
            r ->
                ((ObjectNode) tlogKey(r, 1).path("validFor"))
                    .put("start", Instant.now().plus(Duration.ofDays(1)).toString()));
    var e = refused(verifier(root), v2Bundle);
    assertMentions(e, "the RFC 3161 timestamp from");
    assertMentions(
        e,
        "outside the validity of the key of transparency log "
            + sigstore.rekorV2Url().orElseThrow());
  }

  @Test
  void aCertificateAuthorityUsedOutsideItsValidityIsRefused() throws Exception {
    Path root =
        root(
            r -> {
              ObjectNode ca = at(r, "certificateAuthorities", 0);
              ((ObjectNode) ca.path("validFor")).put("end", plusHour(start(ca)));
            });
    for (byte[] bundle : new byte[][] {v1Bundle, v2Bundle}) {
      var e = refused(verifier(root), bundle);
      assertMentions(e, "outside the validity of certificate authority " + sigstore.fulcioUrl());
    }
  }

  @Test
  void aTimestampAuthorityUsedOutsideItsValidityIsRefused() throws Exception {
    Path root =
        root(
            r -> {
              ObjectNode tsa = at(r, "timestampAuthorities", 0);
              ((ObjectNode) tsa.path("validFor")).put("end", plusHour(start(tsa)));
            });
    for (byte[] bundle : new byte[][] {v1Bundle, v2Bundle}) {
      var e = refused(verifier(root), bundle);
      assertMentions(e, "RFC 3161 timestamp #1 at");
      assertMentions(
          e, "outside the validity of timestamp authority " + sigstore.tsaUrl().orElseThrow());
    }
  }

  /** Default: set aside, reported; the Rekor v1 entry's own time still proves when. */
  @Test
  void aTimestampFromAnUnlistedAuthorityIsSetAsideAndReported() throws Exception {
    Path root = root(r -> r.putArray("timestampAuthorities"));
    KeylessVerificationResult result = verifier(root).verify(BundleReader.read(v1Bundle));
    assertArrayEquals(STATEMENT, result.statement());
    assertEquals(1, result.notes().size(), result.notes().toString());
    assertMentions(
        new Exception(result.notes().get(0)),
        "RFC 3161 timestamp #1 is signed by a timestamp authority that");
    assertMentions(new Exception(result.notes().get(0)), "set aside");
  }

  @Test
  void aTimestampFromAnUnlistedAuthorityIsRefusedWhenAsked() throws Exception {
    Path root = root(r -> r.putArray("timestampAuthorities"));
    var e = refused(verifier(root, UnlistedTimestamps.REFUSE), v1Bundle);
    assertMentions(e, "RFC 3161 timestamp #1 is signed by a timestamp authority that");
    assertMentions(e, "does not list");
  }

  /** For Rekor v2 the timestamp is the only time: set aside, nothing proves when. */
  @Test
  void aRekorV2BundleWhoseOnlyTimestampIsFromAnUnlistedAuthorityIsRefused() throws Exception {
    Path root = root(r -> r.putArray("timestampAuthorities"));
    var e = refused(verifier(root), v2Bundle);
    assertMentions(e, "carries no time");
  }
}
