package dev.modelsigning.pipeline.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.jspecify.annotations.Nullable;

/** Whom to trust when checking a signature. */
public interface VerifierOptions extends SigstoreInstanceOptions {
  @Description(
      "Verification policy: key (a public key), certificate (a CA chain) or sigstore (an OIDC"
          + " identity and issuer, checked against a Sigstore trust root).")
  @Default.String("sigstore")
  String getVerifier();

  void setVerifier(String value);

  @Description("PEM public key for --verifier=key.")
  @Nullable String getPublicKey();

  void setPublicKey(@Nullable String value);

  @Description("PEM root (and intermediate) CA certificates for --verifier=certificate.")
  @Nullable List<String> getCaCertificates();

  void setCaCertificates(@Nullable List<String> value);

  @Description(
      "When the signing certificate must be valid for --verifier=certificate: now (OMS v1.0) or"
          + " not-before (model_signing: at the certificate's notBefore).")
  @Default.String("now")
  String getCertificateValidity();

  void setCertificateValidity(String value);

  @Description("Expected signer identity (certificate SAN: email or URI) for --verifier=sigstore.")
  @Nullable String getIdentity();

  void setIdentity(@Nullable String value);

  @Description("Expected OIDC issuer of the signer identity for --verifier=sigstore.")
  @Nullable String getIdentityProvider();

  void setIdentityProvider(@Nullable String value);

  @Description(
      "Instead of --identity: a regular expression the whole signer identity must match (like"
          + " cosign's --certificate-identity-regexp), e.g."
          + " 'https://github.com/acme/train/.github/workflows/release.yml@refs/tags/v.*'.")
  @Nullable String getIdentityRegexp();

  void setIdentityRegexp(@Nullable String value);

  @Description(
      "Instead of --identityProvider: a regular expression the whole OIDC issuer must match.")
  @Nullable String getIdentityProviderRegexp();

  void setIdentityProviderRegexp(@Nullable String value);
}
