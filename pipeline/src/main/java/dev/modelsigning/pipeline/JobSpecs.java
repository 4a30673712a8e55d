package dev.modelsigning.pipeline;

import dev.modelsigning.beam.spec.SignerSpec;
import dev.modelsigning.beam.spec.VerifierSpec;
import dev.modelsigning.pipeline.options.SignerOptions;
import dev.modelsigning.pipeline.options.VerifierOptions;

/** Turns signer and verifier options into the specs the transforms carry to the workers. */
public final class JobSpecs {
  private JobSpecs() {}

  /** Checks the options now, at launch, so a typo fails before any hashing is paid for. */
  public static SignerSpec signer(SignerOptions o) {
    SignerSpec spec =
        new SignerSpec(
            o.getSigner(),
            o.getPrivateKey(),
            o.getPrivateKeyPasswordFile(),
            o.getPrivateKeyPasswordEnv(),
            o.getSigningCertificate(),
            o.getCertificateChain(),
            o.getSigstoreInstance(),
            o.getTrustedRoot(),
            o.getSigningConfig(),
            o.getIdentityTokenSource(),
            o.getIdentityTokenFile());
    spec.validate();
    return spec;
  }

  /** Checks the options at launch, before any hashing is paid for. */
  public static VerifierSpec verifier(VerifierOptions o) {
    VerifierSpec spec =
        new VerifierSpec(
            o.getVerifier(),
            o.getPublicKey(),
            o.getCaCertificates(),
            o.getCertificateValidity(),
            o.getIdentity(),
            o.getIdentityProvider(),
            o.getSigstoreInstance(),
            o.getTrustedRoot());
    spec.validate();
    return spec;
  }
}
