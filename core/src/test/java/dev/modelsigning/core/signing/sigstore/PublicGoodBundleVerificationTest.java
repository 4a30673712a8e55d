package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.testing.Interop;
import java.nio.file.Files;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
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

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0"})
  void rejectsAnotherIssuer(String version) throws Exception {
    var verifier =
        new SigstoreBundleVerifier(
            new KeylessIdentityPolicy(IDENTITY, "https://accounts.google.com", trustRoot));
    assertThrows(VerificationException.class, () -> verifier.verify(bundle(version)));
  }
}
