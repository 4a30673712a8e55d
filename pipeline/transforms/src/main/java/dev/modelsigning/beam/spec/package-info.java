/**
 * How signers and verifiers travel in a pipeline graph. Settings as a user writes them ({@link
 * SignerSettings}, {@link VerifierSettings}) are parsed once, at launch, into sealed specs ({@link
 * SignerSpec}: {@code Key}, {@code Certificate}, {@code Sigstore}, {@code Vault}; {@link
 * VerifierSpec}), so a typo fails before any hashing. Public material (public keys, certificates,
 * trust roots, signing configs) is read at launch and carried as bytes ({@link Material}); secrets
 * travel only as locations the signing worker reads with its own credentials ({@link SecretFile},
 * {@link KeyPassword}, {@link IdentityTokens}), and vault keys only as names ({@link VaultKey}: a
 * PKCS#11 URI or a KMS key). The signer or verifier itself is built on the worker ({@code
 * SignerSpec.create()}; {@link Verifiers#of} builds each verifier once per worker JVM).
 *
 * <p>API: all of the above, plus {@link SigstoreService} (which Sigstore deployment) and {@link
 * RegistryPolicy} (which verifier applies to which registry model: a model list's named rule, else
 * the longest matching prefix of a policy file, else the command-line policy).
 */
@NullMarked
package dev.modelsigning.beam.spec;

import org.jspecify.annotations.NullMarked;
