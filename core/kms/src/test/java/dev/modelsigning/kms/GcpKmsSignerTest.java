package dev.modelsigning.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.kms.v1.AsymmetricSignRequest;
import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.google.cloud.kms.v1.Digest;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.KeyManagementServiceSettings;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.format.Statement;
import dev.modelsigning.core.signing.CertificateSigner;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.PemKeys;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.signing.TestPki.CertSpec;
import dev.modelsigning.core.testing.KeyBundleChecks;
import dev.modelsigning.core.testing.SigstoreJs;
import dev.modelsigning.core.verify.CertificateChainVerifier;
import dev.modelsigning.core.verify.ValidityCheck;
import io.grpc.Status;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --signer=gcp-kms}. Real: the google-cloud-kms client (gax, gRPC over Netty, protobuf) and
 * its service definition, the ECDSA keys and signatures, CRC32C, our verifier and sigstore-js.
 * Stand-in: {@link LoopbackCloudKms}, a gRPC server on 127.0.0.1 in place of
 * cloudkms.googleapis.com, without credentials (NoCredentialsProvider) instead of the worker's
 * service account.
 */
class GcpKmsSignerTest {
  private static final String RING = "projects/p-1/locations/europe-west1/keyRings/models";

  @TempDir Path dir;
  private LoopbackCloudKms kms;
  private KeyManagementServiceSettings settings;

  @BeforeEach
  void start() throws Exception {
    kms = LoopbackCloudKms.start();
    settings = kms.clientSettings();
  }

  @AfterEach
  void stop() throws Exception {
    kms.close();
  }

  /** The public key as an operator exports it from KMS (a separate client call, not our signer). */
  private PublicKey exported(String name) throws Exception {
    try (KeyManagementServiceClient client = KeyManagementServiceClient.create(settings)) {
      return PemKeys.parsePublicKey(client.getPublicKey(name).getPem(), "exported");
    }
  }

  @ParameterizedTest
  @CsvSource({"EC_SIGN_P256_SHA256, SHA-256, 32", "EC_SIGN_P384_SHA384, SHA-384, 48"})
  void signsTheDigestInKmsAndVerifiesWithTheExportedPublicKey(
      CryptoKeyVersionAlgorithm algorithm, String hash, int digestLength) throws Exception {
    String name = kms.createKeyVersion(RING, "signer", algorithm);
    KeySigner signer = KeySigner.of(GcpKmsSigningKey.open(name, settings));
    Path model = KeyBundleChecks.model(dir);
    Path bundle = KeyBundleChecks.signInPlace(model, signer);

    KeyBundleChecks.assertVerifiesWithExportedKey(model, exported(name), dir);

    // KMS was sent the curve's hash of the DSSE PAE (never the statement), with its CRC32C.
    AsymmetricSignRequest sent = kms.signRequests().get(0);
    byte[] pae = Dsse.pae(Statement.PAYLOAD_TYPE, KeyBundleChecks.statement(model));
    byte[] expected = MessageDigest.getInstance(hash).digest(pae);
    Digest digest = sent.getDigest();
    byte[] got =
        (digest.getDigestCase() == Digest.DigestCase.SHA256
                ? digest.getSha256()
                : digest.getSha384())
            .toByteArray();
    assertEquals(digestLength, got.length);
    assertArrayEquals(expected, got);
    assertEquals(Crc32c.of(expected), sent.getDigestCrc32C().getValue());
    assertTrue(sent.getData().isEmpty(), "only the digest leaves the worker");
    assertTrue(bundle.toFile().length() > 0);
  }

  @Test
  void certificateFormWithAChainIssuedForTheKmsKey() throws Exception {
    String name =
        kms.createKeyVersion(RING, "certified", CryptoKeyVersionAlgorithm.EC_SIGN_P256_SHA256);
    TestPki.Chain pki = TestPki.Chain.create("secp256r1");
    X509Certificate leaf =
        TestPki.issue(
            CertSpec.of("CN=kms-signer,O=model-signing-tests", exported(name)),
            pki.intermediate(),
            pki.intKey());
    Path leafPem = TestPki.write(dir.resolve("leaf.pem"), TestPki.pem(leaf));
    Path intPem = TestPki.write(dir.resolve("int.pem"), TestPki.pem(pki.intermediate()));
    Path rootPem = TestPki.write(dir.resolve("root.pem"), TestPki.pem(pki.root()));
    CertificateSigner signer =
        CertificateSigner.fromPem(GcpKmsSigningKey.open(name, settings), leafPem, List.of(intPem));

    Path model = KeyBundleChecks.model(dir);
    Path bundle = KeyBundleChecks.signInPlace(model, signer);
    String signedBy =
        KeyBundleChecks.verify(
                model,
                CertificateChainVerifier.fromPem(List.of(rootPem), ValidityCheck.CURRENT_TIME))
            .signer();
    assertTrue(signedBy.contains("CN=kms-signer"), signedBy);
    SigstoreJs.Result js = SigstoreJs.verifyWithCaChain(bundle, rootPem);
    assertTrue(js.ok(), "sigstore-js: " + js);
  }

  @Test
  void missingKeyVersionIsAnInputErrorNamingIt() {
    String name = RING + "/cryptoKeys/absent/cryptoKeyVersions/3";
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> GcpKmsSigningKey.open(name, settings));
    KeyBundleChecks.assertOneLineWithout(
        e, "Cloud KMS GetPublicKey for " + name + " failed: NOT_FOUND: CryptoKeyVersion");
  }

  @Test
  void rsaKeyIsRefusedNamingItsAlgorithm() {
    String name =
        kms.createKeyVersion(RING, "rsa", CryptoKeyVersionAlgorithm.RSA_SIGN_PKCS1_2048_SHA256);
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> GcpKmsSigningKey.open(name, settings));
    KeyBundleChecks.assertOneLineWithout(e, "has algorithm RSA_SIGN_PKCS1_2048_SHA256");
  }

  @Test
  void kmsErrorsEndInOneLineNamingTheCause() {
    String name = kms.createKeyVersion(RING, "k", CryptoKeyVersionAlgorithm.EC_SIGN_P256_SHA256);
    KeySigner signer = KeySigner.of(GcpKmsSigningKey.open(name, settings));
    byte[] statement = KeyBundleChecks.statement(KeyBundleChecks.model(dir));

    kms.failWith(Status.INTERNAL.withDescription("backend exploded"));
    ModelSigningException internal =
        assertThrows(ModelSigningException.class, () -> signer.sign(statement));
    assertTrue(!(internal instanceof InvalidInputException), "a service failure is exit 1");
    KeyBundleChecks.assertOneLineWithout(
        internal, "Cloud KMS AsymmetricSign for " + name + " failed: INTERNAL: backend exploded");

    kms.failWith(
        Status.PERMISSION_DENIED.withDescription(
            "Permission 'cloudkms.cryptoKeyVersions.useToSign' denied"));
    InvalidInputException denied =
        assertThrows(InvalidInputException.class, () -> signer.sign(statement));
    KeyBundleChecks.assertOneLineWithout(denied, "failed: PERMISSION_DENIED: Permission");

    kms.failWith(Status.FAILED_PRECONDITION.withDescription("CryptoKeyVersion is not enabled"));
    InvalidInputException disabled =
        assertThrows(InvalidInputException.class, () -> signer.sign(statement));
    KeyBundleChecks.assertOneLineWithout(
        disabled, "FAILED_PRECONDITION: CryptoKeyVersion is not enabled");
  }

  @ParameterizedTest
  @CsvSource({
    "SIGNATURE_CRC32C_WRONG, returned a signature that fails its CRC32C",
    "DIGEST_NOT_VERIFIED, did not confirm the digest's CRC32C",
    "SIGNED_BY_ANOTHER_KEY, returned a signature that does not verify with its public key"
  })
  void aMisbehavingKmsNeverYieldsABundle(LoopbackCloudKms.Fault fault, String message) {
    String name = kms.createKeyVersion(RING, "k", CryptoKeyVersionAlgorithm.EC_SIGN_P384_SHA384);
    KeySigner signer = KeySigner.of(GcpKmsSigningKey.open(name, settings));
    kms.misbehave(fault);
    ModelSigningException e =
        assertThrows(
            ModelSigningException.class,
            () -> signer.sign(KeyBundleChecks.statement(KeyBundleChecks.model(dir))));
    KeyBundleChecks.assertOneLineWithout(e, message);
  }

  @Test
  void damagedPublicKeyIsRefused() {
    String name = kms.createKeyVersion(RING, "k", CryptoKeyVersionAlgorithm.EC_SIGN_P256_SHA256);
    kms.misbehave(LoopbackCloudKms.Fault.PEM_CRC32C_WRONG);
    ModelSigningException e =
        assertThrows(ModelSigningException.class, () -> GcpKmsSigningKey.open(name, settings));
    KeyBundleChecks.assertOneLineWithout(e, "returned a public key that fails its CRC32C");
  }

  @Test
  void aKeyWithoutAVersionIsRefusedBeforeAnyCall() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> GcpKmsSigningKey.open(RING + "/cryptoKeys/k", settings));
    KeyBundleChecks.assertOneLineWithout(e, "names a key, not a key version");
    assertTrue(kms.signRequests().isEmpty());
  }
}
