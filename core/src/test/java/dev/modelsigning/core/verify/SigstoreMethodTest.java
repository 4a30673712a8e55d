package dev.modelsigning.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.signing.sigstore.IdentityTokenSource;
import dev.modelsigning.core.signing.sigstore.KeylessIdentityPolicy;
import dev.modelsigning.core.signing.sigstore.KeylessIdentityPolicy.Match;
import dev.modelsigning.core.signing.sigstore.SigstoreKeylessSigner;
import dev.modelsigning.core.signing.sigstore.SigstoreTrustRoot;
import dev.modelsigning.core.testing.Interop;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sigstore method as a library user meets it: one {@link SigstoreVerifier}, whole models. */
class SigstoreMethodTest {
  static final String IDENTITY =
      "https://github.com/example/models/.github/workflows/sign.yml@refs/heads/main";
  static final String TWO_FILES =
      "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4";

  static OidcTestIssuer issuer;
  static LoopbackSigstore sigstore;

  @TempDir Path dir;

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

  SigstoreVerifier verifier(Match identity, Match issuerMatch) {
    return SigstoreVerifier.of(
        new KeylessIdentityPolicy(
            identity, issuerMatch, SigstoreTrustRoot.fromFile(sigstore.trustedRoot())));
  }

  Path signedModel(String name) {
    Path model = SignedModels.interopModel(dir, name);
    SignedModels.signInPlace(
        model,
        new SigstoreKeylessSigner(
            sigstore.instance(), IdentityTokenSource.of(issuer.token(IDENTITY))));
    return model;
  }

  @Test
  void verifiesAModelSignedOnRekorV2() {
    Path model = signedModel("m");
    VerificationResult r =
        SignedModels.verifyInPlace(
            model,
            Interop.read(model.resolve(SignedModels.SIGNATURE)),
            verifier(Match.exactly(IDENTITY), Match.exactly(issuer.issuerUrl())));
    assertEquals(IDENTITY + " (" + issuer.issuerUrl() + ")", r.signer());
    assertEquals(TWO_FILES, r.subjectDigestHex());
    assertEquals(2, r.fileCount());
  }

  @Test
  void identityAndIssuerMayBeRegularExpressionsMatchingTheWholeValue() {
    Path model = signedModel("r");
    byte[] bundle = Interop.read(model.resolve(SignedModels.SIGNATURE));
    Match anyWorkflow = Match.regexp("https://github\\.com/example/models/\\.github/workflows/.*");
    Match loopbackIssuer = Match.regexp("http://127\\.0\\.0\\.1:[0-9]+/loopback");
    assertEquals(
        TWO_FILES,
        SignedModels.verifyInPlace(model, bundle, verifier(anyWorkflow, loopbackIssuer))
            .subjectDigestHex());

    // A prefix is not a match: the expression must cover the whole identity.
    var prefix =
        assertThrows(
            VerificationException.class,
            () ->
                verifier(Match.regexp("https://github\\.com/example"), loopbackIssuer)
                    .verify(BundleReader.read(bundle)));
    assertTrue(
        prefix.getMessage().contains("matching /https://github\\.com/example/"),
        prefix.getMessage());
    var otherIssuer =
        assertThrows(
            VerificationException.class,
            () ->
                verifier(anyWorkflow, Match.regexp("https://accounts\\.google\\.com"))
                    .verify(BundleReader.read(bundle)));
    assertTrue(otherIssuer.getMessage().contains("signer identity does not match"));
  }

  @Test
  void anInvalidExpressionIsABadInput() {
    var e = assertThrows(InvalidInputException.class, () -> Match.regexp("https://(unclosed"));
    assertTrue(e.getMessage().contains("not a valid regular expression"), e.getMessage());
  }

  @Test
  void aKeyBundleIsNotASigstoreSignature() {
    Path model = SignedModels.interopModel(dir, "k");
    byte[] bundle = SignedModels.signInPlace(model, KeySigner.of(TestPki.ec("secp256r1")));
    var e =
        assertThrows(
            VerificationException.class,
            () ->
                verifier(Match.exactly(IDENTITY), Match.exactly(issuer.issuerUrl()))
                    .verify(BundleReader.read(bundle)));
    assertTrue(e.getMessage().contains("not signed with the sigstore method"), e.getMessage());
  }

  /** model_signing v1.1.0 on public good, with the trust root model_signing's tests use. */
  @Test
  void verifiesModelSigningPublicGoodBundlesAndReportsWhatWasSetAside() {
    Path model = Interop.releaseTests().resolve("v1.1.0-sigstore");
    SigstoreVerifier verifier =
        SigstoreVerifier.of(
            new KeylessIdentityPolicy(
                "stefanb@us.ibm.com",
                "https://sigstore.verify.ibm.com/oauth2",
                SigstoreTrustRoot.fromFile(
                    Interop.modelTransparency()
                        .resolve("tests/_signing/testdata/custom_trust_config.json"))));
    byte[] bundle = Interop.read(model.resolve("model.sig"));
    VerifiedSignature signature = verifier.verify(BundleReader.read(bundle));
    assertEquals("stefanb@us.ibm.com (https://sigstore.verify.ibm.com/oauth2)", signature.signer());
    assertEquals(1, signature.notes().size(), signature.notes().toString());
    VerificationResult r = ModelVerifier.verify(model, bundle, verifier, "model.sig", List.of());
    assertEquals(2, r.fileCount());
  }
}
