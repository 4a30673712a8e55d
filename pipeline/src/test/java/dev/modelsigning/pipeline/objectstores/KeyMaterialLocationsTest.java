package dev.modelsigning.pipeline.objectstores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.modelsigning.beam.io.FakeGcs;
import dev.modelsigning.beam.io.PathStyleS3ClientBuilderFactory;
import dev.modelsigning.beam.testing.S3ProxyServer;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.pipeline.Cli;
import dev.modelsigning.pipeline.SampleModels;
import dev.modelsigning.pipeline.SignModelPipeline;
import dev.modelsigning.pipeline.TestPems;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every key-material option reads from wherever the user keeps it: {@code gs://} (through the
 * Storage client the pipeline uses; here google-cloud-nio's in-process fake, since no GCS emulator
 * runs here), {@code s3://} (S3Proxy on loopback, the real AWS SDK client) and {@code file://}
 * URIs. Public material is read at launch, secrets by the signing worker; a missing file fails with
 * one line naming the option and the location.
 */
class KeyMaterialLocationsTest {
  private static final String PASSWORD = "correct horse battery staple";

  @TempDir static Path tmp;
  private static Storage gcs;
  private static S3ProxyServer s3proxy;
  private static S3Client s3;
  private static List<String> s3Args;
  private static Path localKeys;

  @BeforeAll
  static void stores() throws Exception {
    gcs = LocalStorageHelper.getOptions().getService();
    FakeGcs.install(gcs);
    s3proxy = S3ProxyServer.start("material-access", "material-secret");
    s3Args =
        List.of(
            "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName(),
            "--endpoint=" + s3proxy.endpoint(),
            "--awsRegion=us-east-1",
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":"
                + "\"material-access\",\"secretAccessKey\":\"material-secret\"}");
    S3Options options =
        PipelineOptionsFactory.fromArgs(s3Args.toArray(String[]::new)).as(S3Options.class);
    s3 = new PathStyleS3ClientBuilderFactory().createBuilder(options).build();
    s3.createBucket(b -> b.bucket("keys"));

    // One set of key material, stored in all three places.
    localKeys = Files.createDirectories(tmp.resolve("keys"));
    TestPems.KeyFiles encrypted = TestPems.newEncryptedKey(localKeys, PASSWORD);
    Files.writeString(localKeys.resolve("password.txt"), PASSWORD + "\n");
    Files.copy(SampleModels.demoPrivateKey(), localKeys.resolve("key.pem"));
    Files.copy(SampleModels.demoPublicKey(), localKeys.resolve("pub.pem"));
    Files.move(encrypted.privateKey(), localKeys.resolve("encrypted.pem"));
    Files.move(encrypted.publicKey(), localKeys.resolve("encrypted.pub.pem"));
    TestPki.Chain pki = TestPki.Chain.create("secp256r1");
    Files.writeString(
        localKeys.resolve("leaf-key.pem"),
        TestPki.privateKeyPem(pki.leafKey(), TestPki.KeyFormat.PKCS8, null));
    Files.writeString(localKeys.resolve("leaf.pem"), TestPki.pem(pki.leaf()));
    Files.writeString(localKeys.resolve("intermediate.pem"), TestPki.pem(pki.intermediate()));
    Files.writeString(localKeys.resolve("root.pem"), TestPki.pem(pki.root()));
    try (var files = Files.list(localKeys)) {
      for (Path f : files.toList()) {
        byte[] bytes = Files.readAllBytes(f);
        String name = f.getFileName().toString();
        gcs.create(BlobInfo.newBuilder(BlobId.of("keys", name)).build(), bytes);
        s3.putObject(b -> b.bucket("keys").key(name), RequestBody.fromBytes(bytes));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    FakeGcs.remove();
    if (s3 != null) {
      s3.close();
    }
    if (s3proxy != null) {
      s3proxy.close();
    }
  }

  private static Cli run(List<String> args) {
    List<String> all = new ArrayList<>(args);
    if (all.stream().anyMatch(a -> a.contains("s3://"))) {
      all.addAll(s3Args);
    }
    return Cli.run(all.toArray(String[]::new));
  }

  /** Signs and verifies with the key, certificate and password options at {@code where}. */
  private static void signAndVerifyWithMaterialAt(String label, Function<String, String> where) {
    Path model = SampleModels.copyOfSample(tmp, "model-" + label);
    Cli sign =
        run(
            List.of(
                "sign",
                "--model=" + model,
                "--signer=key",
                "--privateKey=" + where.apply("key.pem")));
    assertEquals(0, sign.exitCode(), label + " " + sign.all());
    Cli verify =
        run(
            List.of(
                "verify",
                "--model=" + model,
                "--verifier=key",
                "--publicKey=" + where.apply("pub.pem")));
    assertEquals(0, verify.exitCode(), label + " " + verify.all());

    Path encrypted = SampleModels.copyOfSample(tmp, "encrypted-" + label);
    Cli signEncrypted =
        run(
            List.of(
                "sign",
                "--model=" + encrypted,
                "--signer=key",
                "--privateKey=" + where.apply("encrypted.pem"),
                "--privateKeyPasswordFile=" + where.apply("password.txt")));
    assertEquals(0, signEncrypted.exitCode(), label + " " + signEncrypted.all());
    assertFalse(signEncrypted.all().contains(PASSWORD), "the password was printed");
    Cli verifyEncrypted =
        run(
            List.of(
                "verify",
                "--model=" + encrypted,
                "--verifier=key",
                "--publicKey=" + where.apply("encrypted.pub.pem")));
    assertEquals(0, verifyEncrypted.exitCode(), label + " " + verifyEncrypted.all());

    Path certified = SampleModels.copyOfSample(tmp, "certified-" + label);
    Cli signCert =
        run(
            List.of(
                "sign",
                "--model=" + certified,
                "--signer=certificate",
                "--privateKey=" + where.apply("leaf-key.pem"),
                "--signingCertificate=" + where.apply("leaf.pem"),
                "--certificateChain=" + where.apply("intermediate.pem")));
    assertEquals(0, signCert.exitCode(), label + " " + signCert.all());
    Cli verifyCert =
        run(
            List.of(
                "verify",
                "--model=" + certified,
                "--verifier=certificate",
                "--caCertificates=" + where.apply("root.pem")));
    assertEquals(0, verifyCert.exitCode(), label + " " + verifyCert.all());

    String missing = where.apply("no-such-key.pem");
    Cli absent =
        run(
            List.of(
                "sign",
                "--model=" + SampleModels.copyOfSample(tmp, "absent-" + label),
                "--signer=key",
                "--privateKey=" + missing));
    assertEquals(2, absent.exitCode(), absent.all());
    assertTrue(absent.err().contains("--privateKey '"), absent.all());
    assertTrue(absent.err().contains("no-such-key.pem' does not exist"), absent.all());
    assertEquals(1, absent.err().lines().count(), absent.all());
  }

  @Test
  void keyMaterialInGcs() {
    signAndVerifyWithMaterialAt("gcs", name -> "gs://keys/" + name);
  }

  @Test
  void keyMaterialInS3() {
    signAndVerifyWithMaterialAt("s3", name -> "s3://keys/" + name);
  }

  @Test
  void keyMaterialAsFileUris() {
    signAndVerifyWithMaterialAt("file", name -> localKeys.resolve(name).toUri().toString());
  }

  /**
   * A store that is down is no usage error: reading key material or a policy file from GCS while it
   * answers 503 exits 1 (worth running again), not 2, naming the location and the status.
   */
  @Test
  void storageOutageReadingMaterialExitsOneNamingTheLocationAndStatus() {
    Storage unavailable =
        (Storage)
            Proxy.newProxyInstance(
                Storage.class.getClassLoader(),
                new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                  throw new StorageException(503, "backend error");
                });
    FakeGcs.install(unavailable);
    try {
      Cli verify =
          run(
              List.of(
                  "verify",
                  "--model=" + SampleModels.copyOfSample(tmp, "outage"),
                  "--verifier=key",
                  "--publicKey=gs://keys/pub.pem"));
      assertEquals(1, verify.exitCode(), verify.all());
      assertTrue(
          verify
              .err()
              .contains("--publicKey 'gs://keys/pub.pem' cannot be read (HTTP 503, retryable)"),
          verify.all());

      Cli registry =
          run(
              List.of(
                  "verify-registry",
                  "--registry=" + tmp.resolve("no-registry"),
                  "--policyFile=gs://keys/policy.json",
                  "--report=" + tmp.resolve("outage-report")));
      assertEquals(1, registry.exitCode(), registry.all());
      assertTrue(
          registry
              .err()
              .contains(
                  "--policyFile 'gs://keys/policy.json' cannot be read (HTTP 503, retryable)"),
          registry.all());
    } finally {
      FakeGcs.install(gcs);
    }
  }

  /**
   * The sign Flex Template's parameters, as Dataflow passes them to its main class, with the key
   * material in gs:// (the GCS fake; the DirectRunner stands in for Dataflow).
   */
  @Test
  void signTemplateParametersWithKeyMaterialInGcs() throws Exception {
    JsonNode metadata =
        new ObjectMapper()
            .readTree(
                SampleModels.sampleDir()
                    .getParent()
                    .getParent()
                    .resolve("templates/sign/metadata.json")
                    .toFile());
    List<String> declared = new ArrayList<>();
    metadata.path("parameters").forEach(p -> declared.add(p.path("name").asText()));
    Path model = SampleModels.copyOfSample(tmp, "template-model");
    List<String> args =
        List.of(
            "--model=" + model,
            "--signer=certificate",
            "--privateKey=gs://keys/leaf-key.pem",
            "--signingCertificate=gs://keys/leaf.pem",
            "--certificateChain=gs://keys/intermediate.pem",
            "--runner=DirectRunner");
    for (String a : args) {
      String name = a.substring(2, a.indexOf('='));
      assertTrue(
          name.equals("runner") || declared.contains(name),
          name + " is not a parameter of templates/sign/metadata.json");
    }
    SignModelPipeline.main(args.toArray(String[]::new));
    Cli verify =
        run(
            List.of(
                "verify",
                "--model=" + model,
                "--verifier=certificate",
                "--caCertificates=gs://keys/root.pem"));
    assertEquals(0, verify.exitCode(), verify.all());
    assertTrue(
        Files.readString(model.resolve("model.sig"), StandardCharsets.UTF_8)
            .contains("x509CertificateChain"));
  }
}
