package dev.modelsigning.beam.spec;

import dev.modelsigning.core.InvalidInputException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Signing settings as a user writes them on the command line, parsed once, at launch, into a {@link
 * SignerSpec}: choices become types, public material is read now, and secrets become locations the
 * signing worker reads. An option not given is null (or empty); {@link #toSpec} refuses a missing
 * required one.
 *
 * @param signer key, certificate, sigstore, pkcs11, gcp-kms or aws-kms
 * @param privateKey --privateKey location (key, certificate)
 * @param privateKeyPasswordFile --privateKeyPasswordFile location, or null
 * @param privateKeyPasswordEnv name of an environment variable holding the password, or null
 * @param signingCertificate --signingCertificate location (certificate)
 * @param certificateChain --certificateChain locations (certificate)
 * @param sigstoreInstance public-good, staging or custom (sigstore)
 * @param signingConfig --signingConfig location (sigstore, custom)
 * @param trustedRoot --trustedRoot location (sigstore, custom), or null
 * @param identityTokenSource auto, file, env, github or gcp-metadata (sigstore)
 * @param identityTokenFile --identityTokenFile location, or null
 * @param pkcs11Uri the RFC 7512 URI of a token key (pkcs11)
 * @param pkcs11Module the PKCS#11 module when the URI names none (pkcs11), or null
 * @param kmsKey a Cloud KMS key version or AWS KMS key (gcp-kms, aws-kms)
 * @param kmsRegion the AWS region for an AWS key id or alias, or null
 * @param kmsEndpoint a KMS endpoint other than the public one, or null
 */
public record SignerSettings(
    @Nullable String signer,
    @Nullable String privateKey,
    @Nullable String privateKeyPasswordFile,
    @Nullable String privateKeyPasswordEnv,
    @Nullable String signingCertificate,
    List<String> certificateChain,
    @Nullable String sigstoreInstance,
    @Nullable String signingConfig,
    @Nullable String trustedRoot,
    @Nullable String identityTokenSource,
    @Nullable String identityTokenFile,
    @Nullable String pkcs11Uri,
    @Nullable String pkcs11Module,
    @Nullable String kmsKey,
    @Nullable String kmsRegion,
    @Nullable String kmsEndpoint) {

  public SignerSettings {
    certificateChain = certificateChain == null ? List.of() : List.copyOf(certificateChain);
  }

  /** Checks the settings and reads the public material they name, before any hashing. */
  public SignerSpec toSpec() {
    if (signer == null || signer.isEmpty()) {
      throw new InvalidInputException("--signer is required (key, certificate or sigstore)");
    }
    return switch (signer) {
      case "key" -> SignerSpec.key(privateKeyFile(), password());
      case "certificate" ->
          SignerSpec.certificate(
              privateKeyFile(),
              password(),
              Material.read(
                  "--signingCertificate", require(signingCertificate, "--signingCertificate")),
              certificateChain.stream().map(l -> Material.read("--certificateChain", l)).toList());
      case "sigstore" -> SignerSpec.sigstore(service(), tokens());
      case "pkcs11" ->
          vault(
              new VaultKey.Pkcs11(
                  require(pkcs11Uri, "--pkcs11Uri"),
                  VerifierSettings.isEmpty(pkcs11Module) ? null : pkcs11Module));
      case "gcp-kms" ->
          vault(
              new VaultKey.Kms(
                  require(kmsKey, "--kmsKey"),
                  null,
                  dev.modelsigning.kms.KmsSigners.Service.GCP_KMS,
                  emptyToNull(kmsEndpoint)));
      case "aws-kms" ->
          vault(
              new VaultKey.Kms(
                  require(kmsKey, "--kmsKey"),
                  emptyToNull(kmsRegion),
                  dev.modelsigning.kms.KmsSigners.Service.AWS_KMS,
                  emptyToNull(kmsEndpoint)));
      default ->
          throw new InvalidInputException(
              "unknown --signer '"
                  + signer
                  + "' (use key, certificate, sigstore, pkcs11, gcp-kms or aws-kms)");
    };
  }

  /** A vault key in the key form, or in the certificate form when a certificate is given. */
  private SignerSpec vault(VaultKey key) {
    if (signingCertificate == null || signingCertificate.isEmpty()) {
      if (!certificateChain.isEmpty()) {
        throw new InvalidInputException(
            "--certificateChain needs --signingCertificate (the vault key's certificate)");
      }
      return SignerSpec.vault(key, null, java.util.List.of());
    }
    return SignerSpec.vault(
        key,
        Material.read("--signingCertificate", signingCertificate),
        certificateChain.stream().map(l -> Material.read("--certificateChain", l)).toList());
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return VerifierSettings.isEmpty(s) ? null : s;
  }

  private SecretFile privateKeyFile() {
    return SecretFile.at("--privateKey", require(privateKey, "--privateKey"));
  }

  private KeyPassword password() {
    if (privateKeyPasswordFile != null && !privateKeyPasswordFile.isEmpty()) {
      return KeyPassword.inFile(SecretFile.at("--privateKeyPasswordFile", privateKeyPasswordFile));
    }
    if (privateKeyPasswordEnv != null && !privateKeyPasswordEnv.isEmpty()) {
      return KeyPassword.inEnvironment(privateKeyPasswordEnv);
    }
    return KeyPassword.none();
  }

  private SigstoreService service() {
    SigstoreService.Instance instance =
        SigstoreService.Instance.fromLabel(
            sigstoreInstance == null ? "public-good" : sigstoreInstance);
    if (instance != SigstoreService.Instance.CUSTOM) {
      return new SigstoreService(instance, null, null);
    }
    String config = require(signingConfig, "--signingConfig");
    String root = require(trustedRoot, "--trustedRoot");
    return new SigstoreService(
        instance, Material.read("--signingConfig", config), Material.read("--trustedRoot", root));
  }

  private IdentityTokens tokens() {
    IdentityTokens.Source source =
        IdentityTokens.Source.fromLabel(identityTokenSource == null ? "auto" : identityTokenSource);
    if (source == IdentityTokens.Source.FILE) {
      require(identityTokenFile, "--identityTokenFile");
    }
    SecretFile file =
        identityTokenFile == null || identityTokenFile.isEmpty()
            ? null
            : SecretFile.at("--identityTokenFile", identityTokenFile);
    return new IdentityTokens(source, file);
  }

  private String require(@Nullable String value, String option) {
    if (value == null || value.isEmpty()) {
      throw new InvalidInputException(option + " is required for --signer=" + signer);
    }
    return value;
  }
}
