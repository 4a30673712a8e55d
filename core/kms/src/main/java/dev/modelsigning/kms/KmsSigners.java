package dev.modelsigning.kms;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.signing.CertificateSigner;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.SigningKey;
import java.nio.file.Path;
import java.util.List;

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
  public static SigningKey open(String kmsKey, String awsRegion) {
    if (kmsKey == null || kmsKey.isBlank()) {
      throw new InvalidInputException("no KMS key given");
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

  /** The key form ({@code publicKey.hint}, like {@code sign key}). */
  public static KeySigner keySigner(String kmsKey, String awsRegion) {
    return KeySigner.of(open(kmsKey, awsRegion));
  }

  /**
   * The certificate form: the KMS key's certificate and its intermediates (leaf's issuer first).
   */
  public static CertificateSigner certificateSigner(
      String kmsKey, String awsRegion, Path signingCertificatePem, List<Path> chainPems) {
    return CertificateSigner.fromPem(open(kmsKey, awsRegion), signingCertificatePem, chainPems);
  }
}
