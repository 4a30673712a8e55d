package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeylessRoundTripTest {
  static final String IDENTITY =
      "https://github.com/example/models/.github/workflows/sign.yml@refs/heads/main";
  static final byte[] STATEMENT =
      ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"model\",\"digest\":"
              + "{\"sha256\":\"92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4\"}}],"
              + "\"predicateType\":\"https://model_signing/signature/v1.0\",\"predicate\":{}}")
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
    if (sigstore != null) sigstore.close();
    if (issuer != null) issuer.close();
  }

  @Test
  void staticTokenRoundTrip() {
    byte[] bundle =
        new SigstoreKeylessSigner(
                sigstore.instance(), IdentityTokenSource.of(issuer.token(IDENTITY)))
            .sign(STATEMENT);
    System.out.println(new String(bundle, StandardCharsets.UTF_8));
    byte[] statement =
        new SigstoreBundleVerifier(
                new KeylessIdentityPolicy(
                    IDENTITY,
                    issuer.issuerUrl(),
                    SigstoreTrustRoot.fromFile(sigstore.trustedRoot())))
            .verify(bundle);
    assertArrayEquals(STATEMENT, statement);
  }
}
