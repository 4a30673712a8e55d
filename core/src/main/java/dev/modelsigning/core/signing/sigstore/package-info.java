/**
 * Sigstore keyless signing and verification for model signatures.
 *
 * <p>Signing: an {@link dev.modelsigning.core.signing.sigstore.IdentityTokenSource} supplies an
 * OIDC token; {@link dev.modelsigning.core.signing.sigstore.SigstoreKeylessSigner} turns it into a
 * Fulcio certificate for an ephemeral P-256 key, signs the statement as DSSE, logs it in the
 * transparency log and timestamps it (RFC 3161) when the instance has a timestamp authority, and
 * returns a bundle v0.3. On a Rekor v1 log the entry is {@code dsse} 0.0.1; on a Rekor v2 log it is
 * {@code hashedrekord} 0.0.2 over the envelope's PAE, or {@code dsse} 0.0.2 on request ({@link
 * dev.modelsigning.core.signing.sigstore.RekorV2Entry}), and a timestamp is required since Rekor v2
 * records no time. Which services to use is a {@link
 * dev.modelsigning.core.signing.sigstore.SigstoreInstance}.
 *
 * <p>Verification: {@link dev.modelsigning.core.signing.sigstore.SigstoreBundleVerifier} checks a
 * bundle offline against a {@link dev.modelsigning.core.signing.sigstore.KeylessIdentityPolicy}
 * (identity, issuer, {@link dev.modelsigning.core.signing.sigstore.SigstoreTrustRoot}) and returns
 * the signed statement bytes. It accepts Rekor v1 {@code dsse} 0.0.1 and {@code intoto} 0.0.2
 * entries and Rekor v2 {@code dsse} 0.0.2 and {@code hashedrekord} 0.0.2 entries.
 */
@NullMarked
package dev.modelsigning.core.signing.sigstore;

import org.jspecify.annotations.NullMarked;
