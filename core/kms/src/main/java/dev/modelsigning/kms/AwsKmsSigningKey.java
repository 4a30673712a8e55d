package dev.modelsigning.kms;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.signing.EcSignatureScheme;
import dev.modelsigning.core.signing.SigningKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * An EC key in AWS KMS ({@code --signer=aws-kms}): the private key never leaves KMS. The digest is
 * computed here with the curve's hash and sent as {@code MessageType=DIGEST}; KMS returns a DER
 * ECDSA signature, which is checked against the public key before a bundle is written.
 *
 * <p>Credentials: the worker's default chain (environment, profile, container or instance role).
 * The key is pinned at open: an alias is resolved once by GetPublicKey and every signature is made
 * with the key ARN it named, so moving the alias cannot switch keys under a running job. Each call
 * opens a short-lived client.
 */
public final class AwsKmsSigningKey implements SigningKey {
  private static final Map<KeySpec, SigningAlgorithmSpec> ALGORITHMS =
      Map.of(
          KeySpec.ECC_NIST_P256, SigningAlgorithmSpec.ECDSA_SHA_256,
          KeySpec.ECC_NIST_P384, SigningAlgorithmSpec.ECDSA_SHA_384,
          KeySpec.ECC_NIST_P521, SigningAlgorithmSpec.ECDSA_SHA_512);
  private static final Map<KeySpec, EcSignatureScheme> SCHEMES =
      Map.of(
          KeySpec.ECC_NIST_P256, EcSignatureScheme.P256,
          KeySpec.ECC_NIST_P384, EcSignatureScheme.P384,
          KeySpec.ECC_NIST_P521, EcSignatureScheme.P521);

  /** Error codes that mean the key or its configuration is wrong, not the service (exit 2). */
  private static final Set<String> USER_ERRORS =
      Set.of(
          "NotFoundException",
          "DisabledException",
          "KMSInvalidStateException",
          "InvalidKeyUsageException",
          "InvalidArnException",
          "AccessDeniedException",
          "UnrecognizedClientException",
          "MissingAuthenticationTokenException",
          "InvalidSignatureException",
          "InvalidClientTokenId",
          "ValidationException",
          "IncorrectKeyException");

  private final String keyArn;
  private final Supplier<KmsClient> clients;
  private final PublicKey publicKey;
  private final EcSignatureScheme scheme;
  private final SigningAlgorithmSpec algorithm;

  private AwsKmsSigningKey(
      String keyArn,
      Supplier<KmsClient> clients,
      PublicKey publicKey,
      EcSignatureScheme scheme,
      SigningAlgorithmSpec algorithm) {
    this.keyArn = keyArn;
    this.clients = clients;
    this.publicKey = publicKey;
    this.scheme = scheme;
    this.algorithm = algorithm;
  }

  /** With the worker's default credentials chain and the key's regional endpoint. */
  public static AwsKmsSigningKey open(AwsKmsKeyRef key) {
    return open(
        key,
        () ->
            KmsClient.builder()
                .region(Region.of(key.region()))
                .credentialsProvider(DefaultCredentialsProvider.create())
                .httpClientBuilder(ApacheHttpClient.builder())
                .build());
  }

  /**
   * Reads the key's public key and checks it is an ECC_NIST_P256/P384/P521 signing key.
   *
   * @param clients makes a client for the key's region (closed after each call)
   */
  public static AwsKmsSigningKey open(AwsKmsKeyRef key, Supplier<KmsClient> clients) {
    GetPublicKeyResponse response =
        call(clients, key.keyId(), "GetPublicKey", c -> c.getPublicKey(b -> b.keyId(key.keyId())));
    KeySpec spec = response.keySpec();
    SigningAlgorithmSpec algorithm = ALGORITHMS.get(spec);
    if (algorithm == null) {
      throw new InvalidInputException(
          "AWS KMS key "
              + key.keyId()
              + " has key spec "
              + response.keySpecAsString()
              + "; only ECC_NIST_P256, ECC_NIST_P384 and ECC_NIST_P521 keys can sign"
              + " model_signing bundles");
    }
    if (response.keyUsage() != KeyUsageType.SIGN_VERIFY
        || !response.signingAlgorithms().contains(algorithm)) {
      throw new InvalidInputException(
          "AWS KMS key "
              + key.keyId()
              + " is not a signing key for "
              + algorithm
              + " (key usage "
              + response.keyUsageAsString()
              + ")");
    }
    PublicKey publicKey = decode(response.publicKey(), key.keyId());
    EcSignatureScheme scheme = EcSignatureScheme.of(publicKey);
    if (scheme != SCHEMES.get(spec)) {
      throw new ModelSigningException(
          "AWS KMS key "
              + key.keyId()
              + " is "
              + spec
              + " but its public key is on "
              + scheme.curveName());
    }
    String arn =
        response.keyId() == null || response.keyId().isEmpty() ? key.keyId() : response.keyId();
    return new AwsKmsSigningKey(arn, clients, publicKey, scheme, algorithm);
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  public EcSignatureScheme scheme() {
    return scheme;
  }

  /** The key ARN every signature is made with. */
  public String keyArn() {
    return keyArn;
  }

  @Override
  public byte[] signDer(byte[] message) {
    byte[] digest = scheme.digest(message);
    SignResponse response =
        call(
            clients,
            keyArn,
            "Sign",
            c ->
                c.sign(
                    b ->
                        b.keyId(keyArn)
                            .message(SdkBytes.fromByteArray(digest))
                            .messageType(MessageType.DIGEST)
                            .signingAlgorithm(algorithm)));
    if (response.signature() == null) {
      throw new ModelSigningException("AWS KMS Sign for " + keyArn + " returned no signature");
    }
    return response.signature().asByteArray();
  }

  @Override
  public String description() {
    return "AWS KMS key " + keyArn;
  }

  @Override
  public String toString() {
    return keyArn;
  }

  private static PublicKey decode(SdkBytes spki, String keyId) {
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(spki.asByteArray()));
    } catch (GeneralSecurityException | NullPointerException e) {
      throw new ModelSigningException(
          "AWS KMS GetPublicKey for " + keyId + " returned an unreadable public key", e);
    }
  }

  private static <T> T call(
      Supplier<KmsClient> clients, String keyId, String operation, Function<KmsClient, T> rpc) {
    try (KmsClient client = clients.get()) {
      return rpc.apply(client);
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String text = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
      String line =
          "AWS KMS "
              + operation
              + " for "
              + keyId
              + " failed: "
              + (code == null ? "HTTP " + e.statusCode() : code)
              + (text == null || text.isBlank() ? "" : ": " + oneLine(text));
      if (code != null && USER_ERRORS.contains(code)) {
        throw new InvalidInputException(line, e);
      }
      throw new ModelSigningException(line, e);
    } catch (SdkException e) {
      // No credentials, no route to the endpoint, a timeout: the service was not reached.
      throw new ModelSigningException(
          "AWS KMS " + operation + " for " + keyId + " failed: " + oneLine(e.getMessage()), e);
    }
  }

  private static String oneLine(@Nullable String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
