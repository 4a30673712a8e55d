package dev.modelsigning.beam.spec;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.signing.SigningKey;
import dev.modelsigning.core.signing.pkcs11.Pkcs11SigningKey;
import dev.modelsigning.core.signing.pkcs11.Pkcs11Uri;
import dev.modelsigning.kms.KmsSigners;
import java.io.Serializable;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where a signing key lives when its private part never leaves a vault. Only names travel in the
 * pipeline graph: a PKCS#11 URI (whose PIN comes from a file or environment variable of the worker,
 * never from the URI) or a KMS key name; the signing worker opens the key with its own credentials.
 */
public sealed interface VaultKey extends Serializable permits VaultKey.Pkcs11, VaultKey.Kms {
  /** Opens the key on the worker; fails with one line naming the cause (wrong PIN, no key...). */
  SigningKey open();

  String describe();

  /**
   * @param uri an RFC 7512 {@code pkcs11:} URI with {@code slot-id}, {@code object} or {@code id},
   *     and {@code pin-source} (a file or {@code env:NAME})
   * @param module the PKCS#11 module used when the URI names no {@code module-path}, or null
   */
  record Pkcs11(String uri, @Nullable String module) implements VaultKey {
    public Pkcs11 {
      Pkcs11Uri.parse(uri); // refuse a malformed URI, or a PIN written into it, at launch
    }

    @Override
    public SigningKey open() {
      return Pkcs11SigningKey.open(uri, module == null ? null : Path.of(module));
    }

    @Override
    public String describe() {
      return "PKCS#11 key " + Pkcs11Uri.parse(uri);
    }
  }

  /**
   * @param name a Cloud KMS key version ({@code projects/.../cryptoKeyVersions/N}) or an AWS KMS
   *     key ({@code arn:aws:kms:...}, a key id or {@code alias/NAME})
   * @param awsRegion the AWS region for a key id or alias, else null
   * @param service which service the name must belong to
   * @param endpoint a private endpoint (https://host[:port]) or a loopback stand-in, or null
   */
  record Kms(
      String name,
      @Nullable String awsRegion,
      KmsSigners.Service service,
      @Nullable String endpoint)
      implements VaultKey {
    public Kms {
      KmsSigners.Service actual = KmsSigners.serviceOf(name, awsRegion);
      if (actual != service) {
        throw new InvalidInputException(
            "--kmsKey '"
                + name
                + "' is "
                + (actual == KmsSigners.Service.GCP_KMS ? "a Cloud KMS" : "an AWS KMS")
                + " key, not one for --signer="
                + (service == KmsSigners.Service.GCP_KMS ? "gcp-kms" : "aws-kms"));
      }
    }

    @Override
    public SigningKey open() {
      return KmsSigners.open(name, awsRegion, endpoint);
    }

    @Override
    public String describe() {
      return (service == KmsSigners.Service.GCP_KMS ? "Cloud KMS key " : "AWS KMS key ") + name;
    }
  }
}
