package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.testing.Interop;
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
 * Every kind of bundle the signing pipeline writes is also accepted by an independent Sigstore
 * client, sigstore-js {@code @sigstore/verify}. Keyless signing runs against loopback stand-ins for
 * Fulcio, Rekor and a TSA (public Sigstore cannot be reached from tests), with identity tokens from
 * a real OIDC test issuer.
 */
class IndependentVerifierPipelineTest {
  static final String IDENTITY = "https://ci.example.com/pipelines/train-and-sign";

  static OidcTestIssuer issuer;
  static LoopbackSigstore sigstore;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    issuer = new OidcTestIssuer();
    sigstore =
        LoopbackSigstore.builder(issuer.issuerUrl())
            .withIntermediate(true)
            .withTimestampAuthority(true)
            .start();
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

  @Test
  void keylessSignatureVerifiesInPipelineAndInSigstoreJs() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Path token = Files.writeString(tmp.resolve("token.jwt"), issuer.token(IDENTITY));
    Cli sign =
        Cli.run(
            "sign",
            "--model=" + model,
            "--signer=sigstore",
            "--sigstoreInstance=custom",
            "--trustedRoot=" + sigstore.trustedRoot(),
            "--signingConfig=" + sigstore.signingConfig(),
            "--identityTokenSource=file",
            "--identityTokenFile=" + token);
    assertEquals(0, sign.exitCode(), sign.all());
    assertFalse(sign.all().contains(Files.readString(token)), "the token must never be printed");
    assertEquals(1, sigstore.logSize(), "exactly one Rekor entry per signing job");

    Cli verify =
        Cli.run(
            "verify",
            "--model=" + model,
            "--verifier=sigstore",
            "--identity=" + IDENTITY,
            "--identityProvider=" + issuer.issuerUrl(),
            "--trustedRoot=" + sigstore.trustedRoot());
    assertEquals(0, verify.exitCode(), verify.all());

    Cli wrongIdentity =
        Cli.run(
            "verify",
            "--model=" + model,
            "--verifier=sigstore",
            "--identity=https://ci.example.com/someone-else",
            "--identityProvider=" + issuer.issuerUrl(),
            "--trustedRoot=" + sigstore.trustedRoot());
    assertEquals(1, wrongIdentity.exitCode(), wrongIdentity.all());

    SigstoreJs.Result js =
        SigstoreJs.verifyKeyless(
            model.resolve("model.sig"), sigstore.trustedRoot(), IDENTITY, issuer.issuerUrl());
    assertTrue(js.ok(), js.toString());
    SigstoreJs.Result jsWrong =
        SigstoreJs.verifyKeyless(
            model.resolve("model.sig"),
            sigstore.trustedRoot(),
            "https://ci.example.com/someone-else",
            issuer.issuerUrl());
    assertFalse(jsWrong.ok(), jsWrong.toString());
  }

  @Test
  void keySignatureFromPipelineVerifiesInSigstoreJs() {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(
        0, SampleModels.signWithDemoKey(model, "--method=shards", "--shardSize=1024").exitCode());
    SigstoreJs.Result js =
        SigstoreJs.verifyWithPublicKey(model.resolve("model.sig"), SampleModels.demoPublicKey());
    assertTrue(js.ok(), js.toString());
    SigstoreJs.Result other =
        SigstoreJs.verifyWithPublicKey(
            model.resolve("model.sig"), TestPems.newEcPublicKeyPem(tmp, "secp256r1"));
    assertFalse(other.ok(), other.toString());
  }

  @Test
  void certificateSignatureFromPipelineVerifiesInSigstoreJs() {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Cli sign = SampleModels.signWithInteropCertificate(model);
    assertEquals(0, sign.exitCode(), sign.all());
    Path keys = Interop.certificateKeys();
    SigstoreJs.Result js =
        SigstoreJs.verifyWithCaChain(model.resolve("model.sig"), keys.resolve("ca-cert.pem"));
    assertTrue(js.ok(), js.toString());
  }
}
