/**
 * The in-process engine: signs, hashes and publishes a model on local disk with every core of this
 * machine, using the same planner, batcher, kernel, statement, signers, atomic write and retry rule
 * as the Beam pipeline. The command line runs it when the model and every file it names are local
 * and no runner or other Beam option is given.
 *
 * <p>API: {@link ModelSigning#sign} signs a model in one call (list, hash on every core, check that
 * nothing changed meanwhile, sign once, publish atomically; an existing bundle is kept only if it
 * is this signer's signature of the same statement), configured by a {@link ModelSigning.Request};
 * {@link LocalModelHasher} computes a model's manifest (the digest command, and what {@link
 * dev.modelsigning.core.verify.ModelVerifier} re-hashes with), reporting to an optional {@link
 * HashProgress}; {@link LocalSignatureFile} reads a bundle with a size cap and writes one
 * all-or-nothing (temporary file, fsync, then rename to overwrite or hard link to create only if
 * absent). {@link LocalSignatureFile#isTempFileOf} is public for the Beam pipeline's signature
 * store, which skips another signer's temporary file the same way.
 */
@NullMarked
package dev.modelsigning.core.local;

import org.jspecify.annotations.NullMarked;
