/**
 * Verification: a bundle's signature against a policy, then the model re-hashed the way the signer
 * recorded and compared with the signed manifest as sets of names, so one error names every
 * changed, missing and extra file.
 *
 * <p>API: {@link ModelVerifier#verify} verifies a model on local disk in one call and returns a
 * {@link VerificationResult}; it takes a {@link SignatureVerifier}, the policy: {@link KeyVerifier}
 * (a public key; the {@code key} method), {@link CertificateChainVerifier} (CA certificates, with a
 * {@link ValidityCheck}; the {@code certificate} method) or {@link SigstoreVerifier} (an identity
 * and issuer, exact or regular expression, and a trust root; keyless). A signature check returns a
 * {@link VerifiedSignature}. {@link UnsignedFiles} chooses whether files the signature does not
 * list fail verification (the default) or are set aside unread and reported.
 *
 * <p>Steps of {@code ModelVerifier}, public so the Beam pipeline runs the same ones with hashing
 * spread over workers, and API only for code that schedules verification itself: {@link
 * VerificationPlan} (how to recompute the manifest from a signed statement, and {@link
 * VerificationPlan#select} to choose from any listing which files to hash and which to set aside),
 * {@link VerifiedModelListing} (the same for a local model), {@link ModelSelection} (their result),
 * {@link ManifestComparison} and {@link ComparisonResult}. {@code EnvelopeSignatureCheck} and
 * {@code MaterialNames} are package-private.
 */
@NullMarked
package dev.modelsigning.core.verify;

import org.jspecify.annotations.NullMarked;
