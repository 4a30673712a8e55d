package dev.modelsigning.core.verify;

import dev.modelsigning.core.format.SigstoreBundle;

/**
 * Checks a bundle's signature against a policy (a public key, a CA chain, or a Sigstore identity)
 * and returns the signed statement. Throws {@link dev.modelsigning.core.VerificationException} when
 * the bundle does not satisfy the policy.
 */
public interface SignatureVerifier {
  VerifiedSignature verify(SigstoreBundle bundle);
}
