package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.signing.sigstore.SigstoreBundleVerifier.UnlistedTimestamps;
import dev.modelsigning.core.testing.Interop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real model_signing bundles from Sigstore public good, verified offline. */
class PublicGoodBundleVerificationTest {
  static final String TRUST_CONFIG = "tests/_signing/testdata/custom_trust_config.json";
  static final String IDENTITY = "stefanb@us.ibm.com";
  static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";

  static SigstoreTrustRoot trustRoot;

  @BeforeAll
  static void loadTrustRoot() {
    trustRoot = SigstoreTrustRoot.fromFile(Interop.modelTransparency().resolve(TRUST_CONFIG));
  }

  static byte[] bundle(String version) throws Exception {
    return Files.readAllBytes(
        Interop.modelTransparency().resolve("scripts/tests/" + version + "-sigstore/model.sig"));
  }

  static byte[] envelopePayload(byte[] bundle) throws Exception {
    String b64 = new ObjectMapper().readTree(bundle).path("dsseEnvelope").path("payload").asText();
    return Base64.getDecoder().decode(b64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v0.3.1", "v1.0.0", "v1.0.1", "v1.1.0"})
  void verifiesAndReturnsTheSignedStatement(String version) throws Exception {
    byte[] bundle = bundle(version);
    byte[] statement =
        new SigstoreBundleVerifier(new KeylessIdentityPolicy(IDENTITY, ISSUER, trustRoot))
            .verify(bundle);
    assertArrayEquals(envelopePayload(bundle), statement);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v0.3.1", "v1.1.0"})
  void rejectsAnotherIdentity(String version) throws Exception {
    var verifier =
        new SigstoreBundleVerifier(
            new KeylessIdentityPolicy("someone@example.com", ISSUER, trustRoot));
    var e = assertThrows(VerificationException.class, () -> verifier.verify(bundle(version)));
    assertTrue(e.getMessage().contains("someone@example.com"), e.getMessage());
    assertTrue(e.getMessage().contains(IDENTITY), e.getMessage());
  }

  /**
   * v1.1.0 bundles carry a timestamp from public good's TSA, which this (older) trust root does not
   * list: it is set aside and reported, and the Rekor entry's time is used.
   */
  @Test
  void setsAsideAndReportsTheTimestampFromAnUnlistedAuthority() throws Exception {
    KeylessVerificationResult result =
        new SigstoreBundleVerifier(new KeylessIdentityPolicy(IDENTITY, ISSUER, trustRoot))
            .verify(BundleReader.read(bundle("v1.1.0")));
    assertEquals("dsse/0.0.1", result.logEntryKind());
    assertEquals(1, result.notes().size(), result.notes().toString());
    assertTrue(result.notes().get(0).contains("RFC 3161 timestamp #1"), result.notes().get(0));
    assertTrue(result.notes().get(0).contains("sigstore-tsa"), result.notes().get(0));
  }

  @Test
  void refusesTheTimestampFromAnUnlistedAuthorityWhenAsked() throws Exception {
    var verifier =
        new SigstoreBundleVerifier(
            new KeylessIdentityPolicy(IDENTITY, ISSUER, trustRoot), UnlistedTimestamps.REFUSE);
    var e = assertThrows(VerificationException.class, () -> verifier.verify(bundle("v1.1.0")));
    assertTrue(e.getMessage().contains("does not list"), e.getMessage());
  }

  /**
   * With public good's own trusted root, which lists its TSA, the timestamp is checked and used and
   * nothing is reported, even when unlisted timestamps would be refused. That root is not part of
   * the interop data yet: give it with {@code -Dpublicgood.trustedRoot=PATH} or put it at {@code
   * interop/sigstore-public-good/trusted_root.json}; without it this test is skipped.
   */
  @Test
  void usesTheTimestampWhenTheTrustRootListsItsAuthority() throws Exception {
    String configured = System.getProperty("publicgood.trustedRoot", "");
    Path root =
        configured.isEmpty()
            ? Interop.root().resolve("sigstore-public-good/trusted_root.json")
            : Path.of(configured);
    Assumptions.assumeTrue(
        Files.isRegularFile(root), "public good's trusted_root.json is not available at " + root);
    byte[] bundle = bundle("v1.1.0");
    KeylessVerificationResult result =
        new SigstoreBundleVerifier(
                new KeylessIdentityPolicy(IDENTITY, ISSUER, SigstoreTrustRoot.fromFile(root)),
                UnlistedTimestamps.REFUSE)
            .verify(BundleReader.read(bundle));
    assertArrayEquals(envelopePayload(bundle), result.statement());
    assertTrue(result.notes().isEmpty(), result.notes().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0"})
  void rejectsAnotherIssuer(String version) throws Exception {
    var verifier =
        new SigstoreBundleVerifier(
            new KeylessIdentityPolicy(IDENTITY, "https://accounts.google.com", trustRoot));
    assertThrows(VerificationException.class, () -> verifier.verify(bundle(version)));
  }
}
