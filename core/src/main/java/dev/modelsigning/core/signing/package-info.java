/**
 * Signers: each turns a statement into a complete Sigstore bundle v0.3. {@link ModelSigner} is the
 * interface both engines call. {@link KeySigner} is model_signing's {@code key} method (an EC key
 * on P-256, P-384 or P-521, named in the bundle by its hint, no transparency log); {@link
 * CertificateSigner} is the {@code certificate} method (the leaf and intermediates in the bundle,
 * the verifier brings the root). Either signs with a {@link SigningKey}: a local key read from PEM,
 * or a key that never leaves a PKCS#11 token ({@code core.signing.pkcs11}) or a cloud KMS (the
 * {@code model-signing-kms} module). Keyless signing is {@code core.signing.sigstore}. Local keys
 * sign with deterministic ECDSA (RFC 6979), so the same key and statement always give the same
 * bundle.
 *
 * <p>API: {@link ModelSigner}, {@link KeySigner}, {@link CertificateSigner}, {@link SigningKey},
 * {@link PemKeys} and {@link Pem} (keys and certificates as users have them: PKCS#8, SEC1,
 * encrypted, with text around the PEM blocks), {@link EcSignatureScheme}. Public for the other core
 * packages and the engines, not API: {@link SignatureOwnership} (whether an existing bundle is this
 * signer's signature of the same statement, the rule that lets a retried or duplicate job keep it),
 * {@link Certificates}, {@link PublicKeyHint}, {@link FulcioOids}. {@code EnvelopeSigner}, {@code
 * LocalSigningKey} and {@code KeyAlgorithmNames} are package-private.
 */
@NullMarked
package dev.modelsigning.core.signing;

import org.jspecify.annotations.NullMarked;
