package dev.modelsigning.beam.spec;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.signing.CertificateSigner;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.ModelSigner;
import dev.modelsigning.core.signing.sigstore.ChainedTokenSource;
import dev.modelsigning.core.signing.sigstore.EnvironmentTokenSource;
import dev.modelsigning.core.signing.sigstore.GcpMetadataTokenSource;
import dev.modelsigning.core.signing.sigstore.GitHubActionsTokenSource;
import dev.modelsigning.core.signing.sigstore.IdentityTokenSource;
import dev.modelsigning.core.signing.sigstore.SigstoreInstance;
import dev.modelsigning.core.signing.sigstore.SigstoreKeylessSigner;
import dev.modelsigning.core.signing.sigstore.TokenFileSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The signer the options describe, built on the worker that signs. It holds where secrets are (file
 * paths, variable names), never the secrets, because it travels in the pipeline graph.
 *
 * @param kind key, certificate or sigstore
 * @param privateKey PEM private key path
 * @param passwordFile file holding the key password
 * @param passwordEnv environment variable holding the key password
 * @param signingCertificate PEM leaf certificate path
 * @param certificateChain PEM intermediate certificate paths
 * @param instance public-good, staging or custom
 * @param trustedRoot custom instance trusted_root.json
 * @param signingConfig custom instance signing_config.json
 * @param tokenSource auto, file, env, github or gcp-metadata
 * @param tokenFile identity token file
 */
public record SignerSpec(
    String kind,
    String privateKey,
    String passwordFile,
    String passwordEnv,
    String signingCertificate,
    List<String> certificateChain,
    String instance,
    String trustedRoot,
    String signingConfig,
    String tokenSource,
    String tokenFile)
    implements SignerFactory {

  public SignerSpec {
    certificateChain = certificateChain == null ? List.of() : List.copyOf(certificateChain);
  }

  /** Refuses incomplete or unknown choices, at launch, before any hashing is paid for. */
  public void validate() {
    switch (kind) {
      case "key" -> require(privateKey, "--privateKey", "key");
      case "certificate" -> {
        require(privateKey, "--privateKey", "certificate");
        require(signingCertificate, "--signingCertificate", "certificate");
      }
      case "sigstore" -> {
        if ("custom".equals(instance)) {
          require(trustedRoot, "--trustedRoot", "sigstore with --sigstoreInstance=custom");
          require(signingConfig, "--signingConfig", "sigstore with --sigstoreInstance=custom");
        }
        if ("file".equals(tokenSource)) {
          require(tokenFile, "--identityTokenFile", "sigstore with --identityTokenSource=file");
        }
      }
      default ->
          throw new InvalidInputException(
              "unknown --signer '" + kind + "' (use key, certificate or sigstore)");
    }
  }

  private static void require(String value, String option, String forWhat) {
    if (value == null || value.isEmpty()) {
      throw new InvalidInputException(option + " is required for --signer=" + forWhat);
    }
  }

  @Override
  public ModelSigner create() {
    return switch (kind) {
      case "key" ->
          KeySigner.fromPem(Path.of(privateKey), KeyPasswords.read(passwordFile, passwordEnv));
      case "certificate" ->
          CertificateSigner.fromPem(
              Path.of(privateKey),
              KeyPasswords.read(passwordFile, passwordEnv),
              Path.of(signingCertificate),
              certificateChain.stream().map(Path::of).toList());
      case "sigstore" -> new SigstoreKeylessSigner(sigstoreInstance(), tokens());
      default -> throw new InvalidInputException("unknown --signer '" + kind + "'");
    };
  }

  private SigstoreInstance sigstoreInstance() {
    return switch (instance) {
      case "public-good" -> SigstoreInstance.publicGood();
      case "staging" -> SigstoreInstance.staging();
      case "custom" -> SigstoreInstance.fromFiles(Path.of(trustedRoot), Path.of(signingConfig));
      default ->
          throw new InvalidInputException(
              "unknown --sigstoreInstance '" + instance + "' (public-good, staging or custom)");
    };
  }

  private IdentityTokenSource tokens() {
    List<IdentityTokenSource> sources = new ArrayList<>();
    boolean auto = "auto".equals(tokenSource);
    if ((auto || "file".equals(tokenSource)) && tokenFile != null) {
      sources.add(new TokenFileSource(Path.of(tokenFile)));
    }
    if (auto || "env".equals(tokenSource)) {
      sources.add(new EnvironmentTokenSource());
    }
    if (auto || "github".equals(tokenSource)) {
      sources.add(new GitHubActionsTokenSource());
    }
    if (auto || "gcp-metadata".equals(tokenSource)) {
      sources.add(new GcpMetadataTokenSource());
    }
    if (sources.isEmpty()) {
      throw new InvalidInputException(
          "unknown --identityTokenSource '"
              + tokenSource
              + "' (auto, file, env, github or gcp-metadata)");
    }
    return new ChainedTokenSource(sources);
  }
}
