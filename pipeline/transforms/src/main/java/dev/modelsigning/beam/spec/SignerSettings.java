package dev.modelsigning.beam.spec;

import dev.modelsigning.core.InvalidInputException;
import java.util.List;

/**
 * Signing settings as a user writes them on the command line, parsed once, at launch, into a {@link
 * SignerSpec}: choices become types, public material is read now, and secrets become locations the
 * signing worker reads.
 *
 * @param signer key, certificate or sigstore
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
 */
public record SignerSettings(
    String signer,
    String privateKey,
    String privateKeyPasswordFile,
    String privateKeyPasswordEnv,
    String signingCertificate,
    List<String> certificateChain,
    String sigstoreInstance,
    String signingConfig,
    String trustedRoot,
    String identityTokenSource,
    String identityTokenFile) {

  public SignerSettings {
    certificateChain = certificateChain == null ? List.of() : List.copyOf(certificateChain);
  }

  /** Checks the settings and reads the public material they name, before any hashing. */
  public SignerSpec toSpec() {
    if (VerifierSettings.isEmpty(signer)) {
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
      default ->
          throw new InvalidInputException(
              "unknown --signer '" + signer + "' (use key, certificate or sigstore)");
    };
  }

  private SecretFile privateKeyFile() {
    return SecretFile.at("--privateKey", require(privateKey, "--privateKey"));
  }

  private KeyPassword password() {
    if (!VerifierSettings.isEmpty(privateKeyPasswordFile)) {
      return KeyPassword.inFile(SecretFile.at("--privateKeyPasswordFile", privateKeyPasswordFile));
    }
    if (!VerifierSettings.isEmpty(privateKeyPasswordEnv)) {
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
        VerifierSettings.isEmpty(identityTokenFile)
            ? null
            : SecretFile.at("--identityTokenFile", identityTokenFile);
    return new IdentityTokens(source, file);
  }

  private String require(String value, String option) {
    if (VerifierSettings.isEmpty(value)) {
      throw new InvalidInputException(option + " is required for --signer=" + signer);
    }
    return value;
  }
}
