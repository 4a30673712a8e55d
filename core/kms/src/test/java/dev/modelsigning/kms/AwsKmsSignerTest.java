package dev.modelsigning.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.format.Statement;
import dev.modelsigning.core.signing.CertificateSigner;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.signing.TestPki.CertSpec;
import dev.modelsigning.core.testing.KeyBundleChecks;
import dev.modelsigning.core.testing.SigstoreJs;
import dev.modelsigning.core.verify.CertificateChainVerifier;
import dev.modelsigning.core.verify.ValidityCheck;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code --signer=aws-kms}. Real: the AWS SDK v2 KMS client (2.20.162: SigV4 signing, AWS JSON 1.1
 * protocol, URL-connection HTTP client, retries), the ECDSA keys and signatures, our verifier and
 * sigstore-js. Stand-in: {@link LoopbackAwsKms}, an HTTP server on 127.0.0.1 reached through the
 * client's endpoint override in place of kms.REGION.amazonaws.com, with static test credentials
 * instead of the worker's default chain.
 */
class AwsKmsSignerTest {
  private static final String REGION = "eu-west-1";

  @TempDir Path dir;
  private LoopbackAwsKms kms;
  private Supplier<KmsClient> clients;

  @BeforeEach
  void start() throws Exception {
    kms = LoopbackAwsKms.start(REGION);
    clients = () -> kms.client(REGION);
  }

  @AfterEach
  void stop() {
    kms.close();
  }

  /** The public key as an operator exports it from KMS (a separate call, not our signer). */
  private PublicKey exported(String keyId) throws Exception {
    try (KmsClient client = clients.get()) {
      byte[] spki = client.getPublicKey(b -> b.keyId(keyId)).publicKey().asByteArray();
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "ECC_NIST_P256, ECDSA_SHA_256, SHA-256",
    "ECC_NIST_P384, ECDSA_SHA_384, SHA-384",
    "ECC_NIST_P521, ECDSA_SHA_512, SHA-512"
  })
  void signsTheDigestInKmsAndVerifiesWithTheExportedPublicKey(
      String keySpec, String algorithm, String hash) throws Exception {
    String arn = kms.createKey(keySpec, null);
    KeySigner signer = KeySigner.of(AwsKmsSigningKey.open(AwsKmsKeyRef.parse(arn, null), clients));
    Path model = KeyBundleChecks.model(dir);
    KeyBundleChecks.signInPlace(model, signer);

    KeyBundleChecks.assertVerifiesWithExportedKey(model, exported(arn), dir);

    JsonNode sent = kms.signRequests().get(0);
    byte[] pae = Dsse.pae(Statement.PAYLOAD_TYPE, KeyBundleChecks.statement(model));
    assertEquals(arn, sent.get("KeyId").asText());
    assertEquals("DIGEST", sent.get("MessageType").asText());
    assertEquals(algorithm, sent.get("SigningAlgorithm").asText());
    assertArrayEquals(
        MessageDigest.getInstance(hash).digest(pae),
        Base64.getDecoder().decode(sent.get("Message").asText()),
        "KMS is sent the curve's hash of the DSSE PAE, never the statement");
  }

  @Test
  void keyIdOrAliasWithARegionAndTheAliasIsPinnedAtOpen() throws Exception {
    String arn = kms.createKey("ECC_NIST_P256", "model-signing");
    String keyId = arn.substring(arn.indexOf("key/") + 4);
    AwsKmsSigningKey byId = AwsKmsSigningKey.open(AwsKmsKeyRef.parse(keyId, REGION), clients);
    assertEquals(arn, byId.keyArn());

    AwsKmsSigningKey byAlias =
        AwsKmsSigningKey.open(AwsKmsKeyRef.parse("alias/model-signing", REGION), clients);
    assertEquals(arn, byAlias.keyArn());
    // The alias moves to another key while the job runs: signing still uses the key it opened.
    kms.moveAlias("model-signing", kms.createKey("ECC_NIST_P256", null));
    Path model = KeyBundleChecks.model(dir);
    KeyBundleChecks.signInPlace(model, KeySigner.of(byAlias));
    KeyBundleChecks.assertVerifiesWithExportedKey(model, exported(arn), dir);
    assertEquals(arn, kms.signRequests().get(0).get("KeyId").asText());
  }

  @Test
  void certificateFormWithAChainIssuedForTheKmsKey() throws Exception {
    String arn = kms.createKey("ECC_NIST_P384", null);
    TestPki.Chain pki = TestPki.Chain.create("secp256r1");
    X509Certificate leaf =
        TestPki.issue(
            CertSpec.of("CN=aws-kms-signer,O=model-signing-tests", exported(arn)),
            pki.intermediate(),
            pki.intKey());
    Path leafPem = TestPki.write(dir.resolve("leaf.pem"), TestPki.pem(leaf));
    Path intPem = TestPki.write(dir.resolve("int.pem"), TestPki.pem(pki.intermediate()));
    Path rootPem = TestPki.write(dir.resolve("root.pem"), TestPki.pem(pki.root()));
    CertificateSigner signer =
        CertificateSigner.fromPem(
            AwsKmsSigningKey.open(AwsKmsKeyRef.parse(arn, null), clients),
            leafPem,
            List.of(intPem));

    Path model = KeyBundleChecks.model(dir);
    Path bundle = KeyBundleChecks.signInPlace(model, signer);
    String signedBy =
        KeyBundleChecks.verify(
                model,
                CertificateChainVerifier.fromPem(List.of(rootPem), ValidityCheck.CURRENT_TIME))
            .signer();
    assertTrue(signedBy.contains("CN=aws-kms-signer"), signedBy);
    SigstoreJs.Result js = SigstoreJs.verifyWithCaChain(bundle, rootPem);
    assertTrue(js.ok(), "sigstore-js: " + js);
  }

  @Test
  void missingKeyIsAnInputErrorNamingIt() {
    String arn = "arn:aws:kms:" + REGION + ":" + LoopbackAwsKms.ACCOUNT + ":key/absent";
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> AwsKmsSigningKey.open(AwsKmsKeyRef.parse(arn, null), clients));
    KeyBundleChecks.assertOneLineWithout(
        e,
        "AWS KMS GetPublicKey for " + arn + " failed: NotFoundException: Key '" + arn,
        LoopbackAwsKms.SECRET_ACCESS_KEY);
  }

  @ParameterizedTest
  @CsvSource({"RSA_2048", "RSA_3072"})
  void nonEcKeyIsRefusedNamingItsSpec(String keySpec) {
    String arn = kms.createKey(keySpec, null);
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> AwsKmsSigningKey.open(AwsKmsKeyRef.parse(arn, null), clients));
    KeyBundleChecks.assertOneLineWithout(
        e, "has key spec " + keySpec, LoopbackAwsKms.SECRET_ACCESS_KEY);
  }

  @Test
  void kmsErrorsEndInOneLineNamingTheCauseAndNeverTheSecretKey() {
    String arn = kms.createKey("ECC_NIST_P256", null);
    KeySigner signer = KeySigner.of(AwsKmsSigningKey.open(AwsKmsKeyRef.parse(arn, null), clients));
    byte[] statement = KeyBundleChecks.statement(KeyBundleChecks.model(dir));

    kms.failWith(500, "KMSInternalException", "The request was rejected: internal failure");
    ModelSigningException internal =
        assertThrows(ModelSigningException.class, () -> signer.sign(statement));
    assertFalse(internal instanceof InvalidInputException, "a service failure is exit 1");
    KeyBundleChecks.assertOneLineWithout(
        internal,
        "AWS KMS Sign for " + arn + " failed: KMSInternalException: The request was rejected",
        LoopbackAwsKms.SECRET_ACCESS_KEY);

    kms.failWith(400, "DisabledException", arn + " is disabled.");
    InvalidInputException disabled =
        assertThrows(InvalidInputException.class, () -> signer.sign(statement));
    KeyBundleChecks.assertOneLineWithout(
        disabled,
        "failed: DisabledException: " + arn + " is disabled.",
        LoopbackAwsKms.SECRET_ACCESS_KEY);

    kms.failWith(400, "AccessDeniedException", "User is not authorized to perform: kms:Sign");
    InvalidInputException denied =
        assertThrows(InvalidInputException.class, () -> signer.sign(statement));
    KeyBundleChecks.assertOneLineWithout(
        denied, "AccessDeniedException: User is not authorized", LoopbackAwsKms.SECRET_ACCESS_KEY);
  }

  @Test
  void aRequestWithoutSigV4IsRefusedByTheStandIn() {
    String arn = kms.createKey("ECC_NIST_P256", null);
    Supplier<KmsClient> anonymous =
        () ->
            KmsClient.builder()
                .endpointOverride(kms.endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> AwsKmsSigningKey.open(AwsKmsKeyRef.parse(arn, null), anonymous));
    KeyBundleChecks.assertOneLineWithout(e, "MissingAuthenticationTokenException");

    // A client signing for another region is refused too: the credential scope is checked.
    InvalidInputException region =
        assertThrows(
            InvalidInputException.class,
            () ->
                AwsKmsSigningKey.open(
                    AwsKmsKeyRef.parse(arn, null), () -> kms.client("us-east-2")));
    KeyBundleChecks.assertOneLineWithout(
        region, "InvalidSignatureException", LoopbackAwsKms.SECRET_ACCESS_KEY);
  }

  @Test
  void aSignatureFromAnotherKeyNeverYieldsABundle() {
    String arn = kms.createKey("ECC_NIST_P256", null);
    KeySigner signer = KeySigner.of(AwsKmsSigningKey.open(AwsKmsKeyRef.parse(arn, null), clients));
    kms.signWithAnotherKey(true);
    ModelSigningException e =
        assertThrows(
            ModelSigningException.class,
            () -> signer.sign(KeyBundleChecks.statement(KeyBundleChecks.model(dir))));
    KeyBundleChecks.assertOneLineWithout(
        e, "AWS KMS key " + arn + " returned a signature that does not verify with its public key");
  }
}
