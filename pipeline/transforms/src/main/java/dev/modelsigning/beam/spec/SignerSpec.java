package dev.modelsigning.beam.spec;

import dev.modelsigning.core.signing.ModelSigner;
import java.io.Serializable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the manifest is signed, as it travels in the pipeline graph to the one worker that signs. It
 * carries public material as bytes and secrets only as locations ({@link SecretFile}, environment
 * variable names): the signer itself is built on that worker, from there.
 */
public sealed interface SignerSpec extends Serializable
    permits SignerSpec.Key, SignerSpec.Certificate, SignerSpec.Sigstore, SignerSpec.Vault {

  /** Builds the signer; called on the worker that signs, which reads the secrets now. */
  ModelSigner create();

  /** What signs, for logs: locations and names, never secrets. */
  String describe();

  /**
   * The secret files the signing worker will read. A launcher that is also the worker (the
   * DirectRunner) can check them before any hashing; elsewhere only the worker can see them.
   */
  List<SecretFile> secretFiles();

  private static List<SecretFile> present(@Nullable SecretFile... files) {
    return java.util.Arrays.stream(files).filter(java.util.Objects::nonNull).toList();
  }

  /** An EC private key; the bundle names its public key by hint (model_signing's key method). */
  static Key key(SecretFile privateKey, KeyPassword password) {
    return new Key(privateKey, password);
  }

  /** An EC private key and its X.509 certificate chain (model_signing's certificate method). */
  static Certificate certificate(
      SecretFile privateKey,
      KeyPassword password,
      Material signingCertificate,
      List<Material> certificateChain) {
    return new Certificate(privateKey, password, signingCertificate, certificateChain);
  }

  /** Sigstore keyless: an OIDC identity, a Fulcio certificate, a transparency-log entry. */
  static Sigstore sigstore(SigstoreService service, IdentityTokens tokens) {
    return new Sigstore(service, tokens);
  }

  /**
   * A key that never leaves its vault (a PKCS#11 token, Cloud KMS, AWS KMS), in the key form, or
   * with its certificate chain in the certificate form; opened on the signing worker with its own
   * credentials.
   */
  static Vault vault(
      VaultKey key, @Nullable Material signingCertificate, List<Material> certificateChain) {
    return new Vault(key, signingCertificate, certificateChain);
  }

  record Key(SecretFile privateKey, KeyPassword password) implements SignerSpec {
    @Override
    public ModelSigner create() {
      return dev.modelsigning.core.signing.KeySigner.fromPem(
          dev.modelsigning.core.signing.Pem.of(privateKey.read(), privateKey.location()),
          password.read());
    }

    @Override
    public String describe() {
      return "key " + privateKey.describe();
    }

    @Override
    public List<SecretFile> secretFiles() {
      return present(privateKey, password.file());
    }
  }

  record Certificate(
      SecretFile privateKey,
      KeyPassword password,
      Material signingCertificate,
      List<Material> certificateChain)
      implements SignerSpec {
    public Certificate {
      certificateChain = List.copyOf(certificateChain);
    }

    @Override
    public ModelSigner create() {
      return dev.modelsigning.core.signing.CertificateSigner.fromPem(
          dev.modelsigning.core.signing.Pem.of(privateKey.read(), privateKey.location()),
          password.read(),
          signingCertificate.pem(),
          certificateChain.stream().map(Material::pem).toList());
    }

    @Override
    public String describe() {
      return "certificate " + signingCertificate.describe() + " with " + privateKey.describe();
    }

    @Override
    public List<SecretFile> secretFiles() {
      return present(privateKey, password.file());
    }
  }

  record Sigstore(SigstoreService service, IdentityTokens tokens) implements SignerSpec {
    @Override
    public ModelSigner create() {
      return new dev.modelsigning.core.signing.sigstore.SigstoreKeylessSigner(
          service.signingInstance(), tokens.tokenSource());
    }

    @Override
    public String describe() {
      return "Sigstore " + service.describe() + ", identity token from " + tokens.describe();
    }

    @Override
    public List<SecretFile> secretFiles() {
      return present(tokens.tokenFile());
    }
  }

  /**
   * @param key the vault key
   * @param signingCertificate the key's certificate for the certificate form, or null for the key
   *     form
   * @param certificateChain intermediates for the certificate form
   */
  record Vault(VaultKey key, @Nullable Material signingCertificate, List<Material> certificateChain)
      implements SignerSpec {
    public Vault {
      certificateChain = List.copyOf(certificateChain);
    }

    @Override
    public ModelSigner create() {
      dev.modelsigning.core.signing.SigningKey opened = key.open();
      if (signingCertificate == null) {
        return dev.modelsigning.core.signing.KeySigner.of(opened);
      }
      return dev.modelsigning.core.signing.CertificateSigner.fromPem(
          opened, signingCertificate.pem(), certificateChain.stream().map(Material::pem).toList());
    }

    @Override
    public String describe() {
      return key.describe()
          + (signingCertificate == null
              ? ""
              : " with certificate " + signingCertificate.describe());
    }

    @Override
    public List<SecretFile> secretFiles() {
      return List.of();
    }
  }
}
