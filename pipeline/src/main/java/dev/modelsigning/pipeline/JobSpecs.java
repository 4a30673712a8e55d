package dev.modelsigning.pipeline;

import dev.modelsigning.beam.spec.SignerSettings;
import dev.modelsigning.beam.spec.SignerSpec;
import dev.modelsigning.beam.spec.VerifierSettings;
import dev.modelsigning.beam.spec.VerifierSpec;
import dev.modelsigning.pipeline.options.SignerOptions;
import dev.modelsigning.pipeline.options.VerifierOptions;
import java.util.List;
import java.util.Objects;

/**
 * Turns signer and verifier options into the specs the transforms carry to the workers: at launch,
 * so a bad choice or a missing public file fails before any hashing is paid for, and public
 * material is read here, once. Secret files are only located here: the signing worker reads them
 * (the CLI checks them at launch too when it is that worker, on the DirectRunner).
 */
public final class JobSpecs {
  private JobSpecs() {}

  public static SignerSettings signerSettings(SignerOptions o) {
    return new SignerSettings(
        o.getSigner(),
        o.getPrivateKey(),
        o.getPrivateKeyPasswordFile(),
        o.getPrivateKeyPasswordEnv(),
        o.getSigningCertificate(),
        Objects.requireNonNullElse(o.getCertificateChain(), List.of()),
        o.getSigstoreInstance(),
        o.getSigningConfig(),
        o.getTrustedRoot(),
        o.getIdentityTokenSource(),
        o.getIdentityTokenFile(),
        o.getPkcs11Uri(),
        o.getPkcs11Module(),
        o.getKmsKey(),
        o.getKmsRegion(),
        o.getKmsEndpoint());
  }

  public static SignerSpec signer(SignerOptions o) {
    return signerSettings(o).toSpec();
  }

  public static VerifierSettings verifierSettings(VerifierOptions o) {
    return new VerifierSettings(
        o.getVerifier(),
        o.getPublicKey(),
        Objects.requireNonNullElse(o.getCaCertificates(), List.of()),
        o.getCertificateValidity(),
        o.getIdentity(),
        o.getIdentityRegexp(),
        o.getIdentityProvider(),
        o.getIdentityProviderRegexp(),
        o.getSigstoreInstance(),
        o.getTrustedRoot());
  }

  public static VerifierSpec verifier(VerifierOptions o) {
    return verifierSettings(o).toSpec();
  }
}
