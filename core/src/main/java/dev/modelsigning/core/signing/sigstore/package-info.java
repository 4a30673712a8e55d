/**
 * Sigstore keyless signing and verification for model signatures.
 *
 * <p>Signing: an {@link dev.modelsigning.core.signing.sigstore.IdentityTokenSource} supplies an
 * OIDC token; {@link dev.modelsigning.core.signing.sigstore.SigstoreKeylessSigner} turns it into a
 * Fulcio certificate for an ephemeral P-256 key, signs the statement as DSSE, logs it in Rekor v1
 * ({@code dsse} 0.0.1) and optionally timestamps it (RFC 3161), and returns a bundle v0.3. Which
 * services to use is a {@link dev.modelsigning.core.signing.sigstore.SigstoreInstance}.
 *
 * <p>Verification: {@link dev.modelsigning.core.signing.sigstore.SigstoreBundleVerifier} checks a
 * bundle offline against a {@link dev.modelsigning.core.signing.sigstore.KeylessIdentityPolicy}
 * (identity, issuer, {@link dev.modelsigning.core.signing.sigstore.SigstoreTrustRoot}) and returns
 * the signed statement bytes.
 */
package dev.modelsigning.core.signing.sigstore;
