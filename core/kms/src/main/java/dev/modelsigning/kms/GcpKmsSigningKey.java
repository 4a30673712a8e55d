package dev.modelsigning.kms;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.kms.v1.AsymmetricSignRequest;
import com.google.cloud.kms.v1.AsymmetricSignResponse;
import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.google.cloud.kms.v1.Digest;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.KeyManagementServiceSettings;
import com.google.cloud.kms.v1.PublicKey;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.signing.EcSignatureScheme;
import dev.modelsigning.core.signing.PemKeys;
import dev.modelsigning.core.signing.SigningKey;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An EC key version in Google Cloud KMS ({@code --signer=gcp-kms}): the private key never leaves
 * KMS. The digest is computed here with the curve's hash and sent with its CRC32C; what comes back
 * (public key PEM, signature) is checked against its CRC32C, as the Cloud KMS documentation asks of
 * every client, and the signature is checked against the public key before a bundle is written.
 *
 * <p>Credentials: whatever the client settings carry; by default Application Default Credentials,
 * i.e. the worker's own service account. Each call opens a short-lived client, so nothing needs
 * closing and no channel outlives the signing step.
 */
public final class GcpKmsSigningKey implements SigningKey {
  /** What the key's algorithm means here; anything else is refused, naming the algorithm. */
  private static final Set<CryptoKeyVersionAlgorithm> SUPPORTED =
      Set.of(
          CryptoKeyVersionAlgorithm.EC_SIGN_P256_SHA256,
          CryptoKeyVersionAlgorithm.EC_SIGN_P384_SHA384);

  private final String name;
  private final KeyManagementServiceSettings settings;
  private final java.security.PublicKey publicKey;
  private final EcSignatureScheme scheme;

  private GcpKmsSigningKey(
      String name,
      KeyManagementServiceSettings settings,
      java.security.PublicKey publicKey,
      EcSignatureScheme scheme) {
    this.name = name;
    this.settings = settings;
    this.publicKey = publicKey;
    this.scheme = scheme;
  }

  /** With the worker's default credentials and the public Cloud KMS endpoint. */
  public static GcpKmsSigningKey open(String keyVersionName) {
    try {
      return open(keyVersionName, KeyManagementServiceSettings.newBuilder().build());
    } catch (IOException e) {
      throw new ModelSigningException(
          "cannot configure the Cloud KMS client: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the key version's public key and checks its algorithm (EC_SIGN_P256_SHA256 or
   * EC_SIGN_P384_SHA384).
   */
  public static GcpKmsSigningKey open(
      String keyVersionName, KeyManagementServiceSettings settings) {
    String name = GcpKmsKeyName.requireVersion(keyVersionName);
    PublicKey response = call(settings, name, "GetPublicKey", c -> c.getPublicKey(name));
    if (!SUPPORTED.contains(response.getAlgorithm())) {
      throw new InvalidInputException(
          "Cloud KMS key "
              + name
              + " has algorithm "
              + response.getAlgorithm()
              + "; only EC_SIGN_P256_SHA256 and EC_SIGN_P384_SHA384 keys can sign model_signing"
              + " bundles");
    }
    if (!response.hasPemCrc32C()
        || response.getPemCrc32C().getValue() != Crc32c.of(response.getPem())) {
      throw new ModelSigningException(
          "Cloud KMS GetPublicKey for " + name + " returned a public key that fails its CRC32C");
    }
    if (!response.getName().equals(name)) {
      throw new ModelSigningException(
          "Cloud KMS GetPublicKey for " + name + " answered for " + response.getName());
    }
    java.security.PublicKey key;
    try {
      key = PemKeys.parsePublicKey(response.getPem(), "Cloud KMS " + name);
    } catch (InvalidInputException e) {
      throw new ModelSigningException("Cloud KMS returned an unusable " + e.getMessage(), e);
    }
    EcSignatureScheme scheme = EcSignatureScheme.of(key);
    EcSignatureScheme expected =
        response.getAlgorithm() == CryptoKeyVersionAlgorithm.EC_SIGN_P256_SHA256
            ? EcSignatureScheme.P256
            : EcSignatureScheme.P384;
    if (scheme != expected) {
      throw new ModelSigningException(
          "Cloud KMS key "
              + name
              + " is "
              + response.getAlgorithm()
              + " but its public key is on "
              + scheme.curveName());
    }
    return new GcpKmsSigningKey(name, settings, key, scheme);
  }

  @Override
  public java.security.PublicKey publicKey() {
    return publicKey;
  }

  public EcSignatureScheme scheme() {
    return scheme;
  }

  @Override
  public byte[] signDer(byte[] message) {
    byte[] digest = scheme.digest(message);
    Digest.Builder d = Digest.newBuilder();
    if (scheme == EcSignatureScheme.P256) {
      d.setSha256(ByteString.copyFrom(digest));
    } else {
      d.setSha384(ByteString.copyFrom(digest));
    }
    AsymmetricSignRequest request =
        AsymmetricSignRequest.newBuilder()
            .setName(name)
            .setDigest(d)
            .setDigestCrc32C(Int64Value.of(Crc32c.of(digest)))
            .build();
    AsymmetricSignResponse response =
        call(settings, name, "AsymmetricSign", c -> c.asymmetricSign(request));
    // The checks Cloud KMS asks clients to make: our digest arrived intact, the right key version
    // signed, and the signature was not damaged on the way back.
    if (!response.getVerifiedDigestCrc32C()) {
      throw new ModelSigningException(
          "Cloud KMS AsymmetricSign for " + name + " did not confirm the digest's CRC32C");
    }
    if (!response.getName().equals(name)) {
      throw new ModelSigningException(
          "Cloud KMS AsymmetricSign for " + name + " answered for " + response.getName());
    }
    byte[] signature = response.getSignature().toByteArray();
    if (!response.hasSignatureCrc32C()
        || response.getSignatureCrc32C().getValue() != Crc32c.of(signature)) {
      throw new ModelSigningException(
          "Cloud KMS AsymmetricSign for " + name + " returned a signature that fails its CRC32C");
    }
    return signature;
  }

  @Override
  public String description() {
    return "Cloud KMS key " + name;
  }

  @Override
  public String toString() {
    return name;
  }

  private static <T> T call(
      KeyManagementServiceSettings settings,
      String name,
      String method,
      Function<KeyManagementServiceClient, T> rpc) {
    KeyManagementServiceClient client;
    try {
      client = KeyManagementServiceClient.create(settings);
    } catch (IOException e) {
      throw new ModelSigningException(
          "cannot create the Cloud KMS client for " + name + ": " + oneLine(e.getMessage()), e);
    }
    try {
      return rpc.apply(client);
    } catch (ApiException e) {
      throw failure(name, method, e);
    } finally {
      client.close();
      try {
        client.awaitTermination(10, TimeUnit.SECONDS); // no channel outlives the signing step
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String oneLine(@Nullable String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  /** Bad names, missing keys and refused permissions are the user's to fix (exit 2). */
  private static ModelSigningException failure(String name, String method, ApiException e) {
    StatusCode.Code code = e.getStatusCode().getCode();
    String line =
        "Cloud KMS "
            + method
            + " for "
            + name
            + " failed: "
            + code
            + (description(e).isEmpty() ? "" : ": " + description(e));
    return switch (code) {
      case NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED ->
          new InvalidInputException(line, e);
      default -> new ModelSigningException(line, e);
    };
  }

  /** The server's words without the exception class gax puts first, on one line. */
  private static String description(ApiException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String prefix = e.getStatusCode().getCode().name() + ": ";
    int at = message.indexOf(prefix);
    if (at >= 0) {
      message = message.substring(at + prefix.length());
    }
    return oneLine(message);
  }
}
