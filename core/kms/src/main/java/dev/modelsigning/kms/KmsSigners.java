package dev.modelsigning.kms;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.signing.CertificateSigner;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.SigningKey;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code --signer=gcp-kms} and {@code --signer=aws-kms} signers, with the worker's own
 * credentials. The key form writes what {@code verify --verifier=key} (and model_signing's {@code
 * verify key}) expects, so the bundle verifies with the public key alone; the certificate form
 * carries a chain the user's CA issued for the KMS key.
 */
public final class KmsSigners {
  private KmsSigners() {}

  /**
   * Opens a KMS key chosen by the shape of its name: {@code projects/.../cryptoKeyVersions/N} is
   * Cloud KMS; an {@code arn:aws:kms:...} ARN, a key id or {@code alias/NAME} is AWS KMS.
   *
   * @param awsRegion the AWS region when {@code kmsKey} is an AWS key id or alias (null otherwise)
   */
  public static SigningKey open(@Nullable String kmsKey, @Nullable String awsRegion) {
    return open(kmsKey, awsRegion, null);
  }

  /**
   * The same through another endpoint: a private or regional endpoint ({@code https://host[:port]},
   * with the worker's credentials), or a stand-in on this machine ({@code http://127.0.0.1:port},
   * plaintext, so no credentials are sent and only loopback hosts are accepted).
   *
   * @param endpoint null for the service's public endpoint
   */
  public static SigningKey open(
      @Nullable String kmsKey, @Nullable String awsRegion, @Nullable String endpoint) {
    if (kmsKey == null || kmsKey.isBlank()) {
      throw new InvalidInputException("no KMS key given");
    }
    if (endpoint != null && !endpoint.isBlank()) {
      return openAt(kmsKey, awsRegion, KmsEndpoint.parse(endpoint));
    }
    String key = kmsKey.trim();
    if (GcpKmsKeyName.looksLike(key)) {
      return GcpKmsSigningKey.open(key);
    }
    if (AwsKmsKeyRef.looksLike(key)) {
      return AwsKmsSigningKey.open(AwsKmsKeyRef.parse(key, awsRegion));
    }
    throw new InvalidInputException(
        "KMS key '"
            + key
            + "' is neither a Cloud KMS key version (projects/.../cryptoKeyVersions/N) nor an AWS"
            + " KMS key (arn:aws:kms:..., a key id or alias/NAME)");
  }

  private static SigningKey openAt(
      String kmsKey, @Nullable String awsRegion, KmsEndpoint endpoint) {
    String key = kmsKey.trim();
    if (serviceOf(key, awsRegion) == Service.GCP_KMS) {
      return GcpKmsSigningKey.open(key, endpoint.cloudKmsSettings());
    }
    AwsKmsKeyRef ref = AwsKmsKeyRef.parse(key, awsRegion);
    return AwsKmsSigningKey.open(ref, () -> endpoint.awsClient(ref.region()));
  }

  /** The two key services. */
  public enum Service {
    GCP_KMS,
    AWS_KMS
  }

  /**
   * Which service a key name belongs to, checked without calling it (at launch, so a typo fails
   * before any hashing): the name's shape, and for AWS a region from the ARN or {@code awsRegion}.
   */
  public static Service serviceOf(@Nullable String kmsKey, @Nullable String awsRegion) {
    if (kmsKey == null || kmsKey.isBlank()) {
      throw new InvalidInputException("no KMS key given");
    }
    String key = kmsKey.trim();
    if (GcpKmsKeyName.looksLike(key)) {
      GcpKmsKeyName.requireVersion(key);
      return Service.GCP_KMS;
    }
    if (AwsKmsKeyRef.looksLike(key)) {
      AwsKmsKeyRef.parse(key, awsRegion);
      return Service.AWS_KMS;
    }
    throw new InvalidInputException(
        "KMS key '"
            + key
            + "' is neither a Cloud KMS key version (projects/.../cryptoKeyVersions/N) nor an AWS"
            + " KMS key (arn:aws:kms:..., a key id or alias/NAME)");
  }

  /** The key form ({@code publicKey.hint}, like {@code sign key}). */
  public static KeySigner keySigner(@Nullable String kmsKey, @Nullable String awsRegion) {
    return KeySigner.of(open(kmsKey, awsRegion));
  }

  /**
   * The certificate form: the KMS key's certificate and its intermediates (leaf's issuer first).
   */
  public static CertificateSigner certificateSigner(
      @Nullable String kmsKey,
      @Nullable String awsRegion,
      Path signingCertificatePem,
      List<Path> chainPems) {
    return CertificateSigner.fromPem(open(kmsKey, awsRegion), signingCertificatePem, chainPems);
  }
}
