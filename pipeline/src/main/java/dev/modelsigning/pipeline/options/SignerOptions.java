package dev.modelsigning.pipeline.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * How the manifest is signed. Secrets are never option values: passwords and identity tokens are
 * read on the worker from a file or an environment variable named here, so they stay out of
 * pipeline graphs, job metadata and logs.
 */
public interface SignerOptions extends SigstoreInstanceOptions {
  @Description(
      "Signing method: key (EC private key), certificate (key + X.509 chain) or sigstore"
          + " (keyless: OIDC identity -> Fulcio certificate, Rekor log entry).")
  @Default.String("sigstore")
  String getSigner();

  void setSigner(String value);

  @Description("PEM EC private key (P-256, P-384 or P-521) for --signer=key or certificate.")
  String getPrivateKey();

  void setPrivateKey(String value);

  @Description("File holding the private key's password, if the key is encrypted.")
  String getPrivateKeyPasswordFile();

  void setPrivateKeyPasswordFile(String value);

  @Description(
      "Name of an environment variable holding the private key's password, if the key is"
          + " encrypted.")
  String getPrivateKeyPasswordEnv();

  void setPrivateKeyPasswordEnv(String value);

  @Description("PEM signing (leaf) certificate for --signer=certificate.")
  String getSigningCertificate();

  void setSigningCertificate(String value);

  @Description(
      "PEM intermediate certificates to include in the bundle for --signer=certificate"
          + " (comma-separated files).")
  List<String> getCertificateChain();

  void setCertificateChain(List<String> value);

  @Description("signing_config.json of a custom Sigstore instance (Fulcio, Rekor and TSA URLs).")
  String getSigningConfig();

  void setSigningConfig(String value);

  @Description(
      "Where the OIDC identity token comes from for --signer=sigstore: auto (first found of"
          + " file, env, github, gcp-metadata), file, env (SIGSTORE_ID_TOKEN), github (GitHub"
          + " Actions) or gcp-metadata (the worker's service account).")
  @Default.String("auto")
  String getIdentityTokenSource();

  void setIdentityTokenSource(String value);

  @Description(
      "File holding an OIDC identity token (e.g. a Kubernetes projected service-account"
          + " token); re-read at signing time.")
  String getIdentityTokenFile();

  void setIdentityTokenFile(String value);
}
