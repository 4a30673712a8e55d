package dev.modelsigning.pipeline.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.jspecify.annotations.Nullable;

/**
 * How the manifest is signed. Secrets are never option values: passwords and identity tokens are
 * read on the worker from a file or an environment variable named here, so they stay out of
 * pipeline graphs, job metadata and logs.
 */
public interface SignerOptions extends SigstoreInstanceOptions {
  @Description(
      "Signing method: key (EC private key), certificate (key + X.509 chain), sigstore (keyless:"
          + " OIDC identity -> Fulcio certificate, transparency log entry), pkcs11 (a key in an"
          + " HSM or token), gcp-kms or aws-kms (a key in a cloud KMS). pkcs11 and the KMS"
          + " signers write the key form, or the certificate form with --signingCertificate.")
  @Default.String("sigstore")
  String getSigner();

  void setSigner(String value);

  @Description("PEM EC private key (P-256, P-384 or P-521) for --signer=key or certificate.")
  @Nullable String getPrivateKey();

  void setPrivateKey(@Nullable String value);

  @Description("File holding the private key's password, if the key is encrypted.")
  @Nullable String getPrivateKeyPasswordFile();

  void setPrivateKeyPasswordFile(@Nullable String value);

  @Description(
      "Name of an environment variable holding the private key's password, if the key is"
          + " encrypted.")
  @Nullable String getPrivateKeyPasswordEnv();

  void setPrivateKeyPasswordEnv(@Nullable String value);

  @Description("PEM signing (leaf) certificate for --signer=certificate.")
  @Nullable String getSigningCertificate();

  void setSigningCertificate(@Nullable String value);

  @Description(
      "PEM intermediate certificates to include in the bundle for --signer=certificate"
          + " (comma-separated files).")
  @Nullable List<String> getCertificateChain();

  void setCertificateChain(@Nullable List<String> value);

  @Description(
      "RFC 7512 URI of the token key for --signer=pkcs11, e.g."
          + " 'pkcs11:slot-id=0;object=model-signing?pin-source=file:/etc/pin'. The PIN comes"
          + " from a file or an environment variable (pin-source=env:NAME) on the signing worker,"
          + " never from the URI.")
  @Nullable String getPkcs11Uri();

  void setPkcs11Uri(@Nullable String value);

  @Description(
      "PKCS#11 module (shared library) for --signer=pkcs11 when the URI names no module-path,"
          + " e.g. /usr/lib/softhsm/libsofthsm2.so.")
  @Nullable String getPkcs11Module();

  void setPkcs11Module(@Nullable String value);

  @Description(
      "The key for --signer=gcp-kms (projects/P/locations/L/keyRings/R/cryptoKeys/K/"
          + "cryptoKeyVersions/N) or --signer=aws-kms (arn:aws:kms:REGION:ACCOUNT:key/ID, a key"
          + " id or alias/NAME with --kmsRegion). The signing worker calls the KMS with its own"
          + " credentials; the private key never leaves the KMS.")
  @Nullable String getKmsKey();

  void setKmsKey(@Nullable String value);

  @Description("AWS region of an AWS KMS key id or alias (an ARN names its own region).")
  @Nullable String getKmsRegion();

  void setKmsRegion(@Nullable String value);

  @Description(
      "A KMS endpoint other than the public one: a private or VPC endpoint"
          + " (https://host[:port], reached with the worker's credentials), or a stand-in on the"
          + " worker's own loopback (http://127.0.0.1:port, no credentials sent).")
  @Nullable String getKmsEndpoint();

  void setKmsEndpoint(@Nullable String value);

  @Description("signing_config.json of a custom Sigstore instance (Fulcio, Rekor and TSA URLs).")
  @Nullable String getSigningConfig();

  void setSigningConfig(@Nullable String value);

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
  @Nullable String getIdentityTokenFile();

  void setIdentityTokenFile(@Nullable String value);
}
