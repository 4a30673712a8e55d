package dev.modelsigning.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelsigning.core.signing.CertificateSigner;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.signing.TestPki.CertSpec;
import dev.modelsigning.core.signing.TestPki.Chain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Writes bundles made by our signers, with the keys and CAs to check them, into {@code
 * core/target/keycert-samples/} for the independent (sigstore-js) verification harness. Each sample
 * is a model directory with its {@code model.sig} inside.
 */
class KeycertSamplesTest {
  @Test
  void writeSamples() throws IOException {
    Path out = Path.of(System.getProperty("user.dir"), "target", "keycert-samples");
    Files.createDirectories(out);

    for (String curve : List.of("secp256r1", "secp384r1")) {
      String name = curve.equals("secp256r1") ? "key-p256" : "key-p384";
      Path sample = recreate(out.resolve(name));
      KeyPair kp = TestPki.ec(curve);
      Path model = SignedModels.interopModel(sample, "model");
      byte[] bundle = SignedModels.signInPlace(model, KeySigner.of(kp));
      TestPki.write(sample.resolve("public-key.pem"), TestPki.pem(kp.getPublic()));
      assertEquals(
          2,
          SignedModels.verifyInPlace(
                  model, bundle, KeyVerifier.fromPem(sample.resolve("public-key.pem")))
              .fileCount());
    }

    Path sample = recreate(out.resolve("certificate-p256"));
    Instant now = Instant.now();
    Chain chain =
        Chain.create(
            "secp256r1",
            CertSpec.of("CN=sample-signer,O=model-signing-tests", null)
                .email("signer@example.com")
                .valid(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3 * 365))));
    Path model = SignedModels.interopModel(sample, "model");
    byte[] bundle =
        SignedModels.signInPlace(
            model,
            CertificateSigner.of(chain.leafKey(), chain.leaf(), List.of(chain.intermediate())));
    TestPki.write(sample.resolve("root-ca.pem"), TestPki.pem(chain.root()));
    TestPki.write(sample.resolve("intermediate-ca.pem"), TestPki.pem(chain.intermediate()));
    TestPki.write(sample.resolve("leaf.pem"), TestPki.pem(chain.leaf()));
    assertEquals(
        2,
        SignedModels.verifyInPlace(
                model,
                bundle,
                CertificateChainVerifier.fromPem(
                    List.of(sample.resolve("root-ca.pem")), ValidityCheck.CURRENT_TIME))
            .fileCount());

    Files.writeString(
        out.resolve("README.txt"),
        "Bundles written by KeycertSamplesTest (regenerated on every test run, fresh keys).\n"
            + "Each <sample>/model/ holds signme-1 (\"signme-1\\n\"), signme-2 and model.sig.\n"
            + "key-p256, key-p384: key method; verify model.sig with public-key.pem\n"
            + "  (publicKey.hint = sha256 of that PEM; tlogEntries: []).\n"
            + "certificate-p256: certificate method; x509CertificateChain = [leaf, intermediate];\n"
            + "  trust root-ca.pem (root is not in the bundle). No tlog entries and no timestamps:\n"
            + "  a sigstore-js verifier needs tlogThreshold 0 and ctlogThreshold 0, and a trusted\n"
            + "  root whose certificateAuthorities entry holds the CA chain.\n"
            + "Subject digest for every model: "
            + "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4\n");
  }

  private static Path recreate(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }
}
