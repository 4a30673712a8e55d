package dev.modelsigning.core.verify;

import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.DsseEncoding;
import dev.modelsigning.core.format.SigstoreBundle;
import dev.modelsigning.core.format.VerificationMaterial;
import dev.modelsigning.core.signing.sigstore.KeylessIdentityPolicy;
import dev.modelsigning.core.signing.sigstore.KeylessVerificationResult;
import dev.modelsigning.core.signing.sigstore.SigstoreBundleVerifier;
import dev.modelsigning.core.signing.sigstore.SigstoreBundleVerifier.UnlistedTimestamps;

/**
 * Policy "signed keyless by this identity" (the {@code sigstore} method): a Fulcio certificate for
 * the expected identity and OIDC issuer, chaining to the trust root, with a transparency log entry
 * (Rekor v1 or v2) and signing time the trust root vouches for. One object verifies any number of
 * bundles; see {@link SigstoreBundleVerifier} for every check.
 *
 * <pre>{@code
 * SignatureVerifier verifier =
 *     SigstoreVerifier.of(
 *         new KeylessIdentityPolicy(
 *             KeylessIdentityPolicy.Match.regexp("https://github.com/acme/.*"),
 *             KeylessIdentityPolicy.Match.exactly("https://token.actions.githubusercontent.com"),
 *             SigstoreTrustRoot.publicGood()));
 * }</pre>
 */
public final class SigstoreVerifier implements SignatureVerifier {
  private final SigstoreBundleVerifier verifier;

  private SigstoreVerifier(SigstoreBundleVerifier verifier) {
    this.verifier = verifier;
  }

  /** Timestamps from authorities the trust root does not list are set aside and reported. */
  public static SigstoreVerifier of(KeylessIdentityPolicy policy) {
    return of(policy, UnlistedTimestamps.SET_ASIDE);
  }

  public static SigstoreVerifier of(KeylessIdentityPolicy policy, UnlistedTimestamps unlisted) {
    return new SigstoreVerifier(new SigstoreBundleVerifier(policy, unlisted));
  }

  public KeylessIdentityPolicy policy() {
    return verifier.policy();
  }

  @Override
  public VerifiedSignature verify(SigstoreBundle bundle) {
    if (bundle.material() instanceof VerificationMaterial.PublicKey) {
      throw new VerificationException(
          "the bundle was not signed with the sigstore method (it carries "
              + MaterialNames.of(bundle.material())
              + "); verify it with the matching method");
    }
    KeylessVerificationResult result = verifier.verify(bundle);
    return new VerifiedSignature(
        result.statement(),
        result.identity() + " (" + result.issuer() + ")",
        DsseEncoding.STANDARD,
        result.notes(),
        result.signedAt(),
        result.logIndex());
  }
}
