package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import dev.modelsigning.core.signing.Pem;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.testing.SoftHsm;
import dev.modelsigning.kms.LoopbackAwsKms;
import dev.modelsigning.kms.LoopbackCloudKms;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vault signers from the command line and in the Beam sign step, as a user runs them. Real: the
 * CLI, the Beam DirectRunner, the JDK's SunPKCS11 provider loading SoftHSM2 with keys generated
 * inside the token by pkcs11-tool, the google-cloud-kms and AWS SDK v2 clients, our verifier.
 * Stand-ins: SoftHSM2 for an HSM; loopback Cloud KMS (gRPC) and AWS KMS (JSON 1.1) servers holding
 * real keys (core/kms test-jar), reached with --kmsEndpoint.
 */
class VaultSignerCliTest {
  @TempDir Path tmp;

  /** Signs in-process and on the DirectRunner, then verifies with the key the vault exports. */
  private void signBothWaysAndVerify(PublicKey exported, String... signArgs) throws Exception {
    Path pub =
        Files.writeString(
            tmp.resolve("vault-pub.pem"), Pem.encode("PUBLIC KEY", exported.getEncoded()));
    for (String engine : List.of("in-process", "DirectRunner")) {
      Path model = SampleModels.copyOfSample(tmp, "model-" + engine);
      List<String> args = new ArrayList<>(List.of(signArgs));
      args.add(1, model.toString());
      if (engine.equals("DirectRunner")) {
        args.add("--runner=DirectRunner");
      }
      Cli sign = Cli.run(args.toArray(String[]::new));
      assertEquals(0, sign.exitCode(), engine + ": " + sign.all());
      Cli verify = Cli.run("verify", "key", model.toString(), "--public-key", pub.toString());
      assertEquals(0, verify.exitCode(), engine + ": " + verify.all());
    }
  }

  @Test
  void pkcs11KeyInBothSpellingsAndEngines() throws Exception {
    SoftHsm hsm = SoftHsm.get(); // skips without SoftHSM (fails under CI, which installs it)
    String pin = "pin-" + UUID.randomUUID().toString().substring(0, 8);
    SoftHsm.Token token = hsm.initToken("cli-" + pin.substring(4), "so-" + pin, pin);
    token.generateKeyPair("EC:prime256v1", "01", "model-key");
    TestPki.Chain pki = TestPki.Chain.create("secp256r1");
    token.writeCertificate(
        TestPki.issue(
            TestPki.CertSpec.of("CN=hsm-key", token.exportPublicKey("01")),
            pki.intermediate(),
            pki.intKey()),
        "01",
        "model-key");
    Path pinFile = Files.writeString(tmp.resolve("pin"), pin + "\n");
    String uri =
        "pkcs11:slot-id=" + token.slotId() + ";object=model-key?pin-source=file:" + pinFile;
    // model_signing's spelling: sign pkcs11-key MODEL --pkcs11_uri URI
    signBothWaysAndVerify(
        token.exportPublicKey("01"),
        "sign",
        "--signer=pkcs11",
        "--pkcs11_uri",
        uri,
        "--pkcs11Module=" + SoftHsm.MODULE);

    Files.writeString(pinFile, "wrong-" + pin);
    Path model = SampleModels.copyOfSample(tmp, "wrong-pin");
    Cli wrong =
        Cli.run(
            "sign",
            "pkcs11-key",
            model.toString(),
            "--pkcs11-uri",
            uri,
            "--pkcs11-module",
            SoftHsm.MODULE.toString());
    assertTrue(wrong.exitCode() == 1 || wrong.exitCode() == 2, wrong.all());
    assertEquals(1, wrong.err().lines().count(), wrong.all());
    assertFalse(wrong.all().contains(pin), "the PIN was printed: " + wrong.all());
    assertFalse(Files.exists(model.resolve("model.sig")));
  }

  @Test
  void cloudKmsKeyInBothEngines() throws Exception {
    try (LoopbackCloudKms kms = LoopbackCloudKms.start()) {
      String key =
          kms.createKeyVersion(
              "projects/p/locations/global/keyRings/r",
              "model-signing",
              CryptoKeyVersionAlgorithm.EC_SIGN_P384_SHA384);
      signBothWaysAndVerify(
          kms.publicKey(key),
          "sign",
          "--signer=gcp-kms",
          "--kmsKey=" + key,
          "--kmsEndpoint=" + kms.endpoint());

      kms.failWith(Status.INTERNAL.withDescription("backend unavailable"));
      Path model = SampleModels.copyOfSample(tmp, "kms-error");
      Cli failed =
          Cli.run(
              "sign",
              "gcp-kms",
              model.toString(),
              "--kms-key",
              key,
              "--kms-endpoint",
              kms.endpoint());
      assertEquals(1, failed.exitCode(), failed.all());
      assertEquals(1, failed.err().lines().count(), failed.all());
      assertFalse(Files.exists(model.resolve("model.sig")));
    }
  }

  @Test
  void awsKmsKeyInBothEngines() throws Exception {
    // The AWS SDK's default chain reads these system properties (a worker would use its role).
    System.setProperty("aws.accessKeyId", LoopbackAwsKms.ACCESS_KEY_ID);
    System.setProperty("aws.secretAccessKey", LoopbackAwsKms.SECRET_ACCESS_KEY);
    try (LoopbackAwsKms kms = LoopbackAwsKms.start("eu-west-1")) {
      String arn = kms.createKey("ECC_NIST_P256", "models");
      signBothWaysAndVerify(
          kms.publicKey(arn),
          "sign",
          "--signer=aws-kms",
          "--kmsKey=alias/models",
          "--kmsRegion=eu-west-1",
          "--kmsEndpoint=" + kms.endpoint());
      Cli wrongKind =
          Cli.run(
              "sign",
              "--model=" + SampleModels.copyOfSample(tmp, "kind"),
              "--signer=gcp-kms",
              "--kmsKey=" + arn);
      assertEquals(2, wrongKind.exitCode(), wrongKind.all());
      assertTrue(wrongKind.err().contains("is an AWS KMS key"), wrongKind.all());
      assertFalse(wrongKind.all().contains(LoopbackAwsKms.SECRET_ACCESS_KEY));
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }
}
