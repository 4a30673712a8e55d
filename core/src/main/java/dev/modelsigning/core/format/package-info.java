/**
 * The signature file format: the in-toto statement model_signing signs, its DSSE envelope and the
 * Sigstore bundle v0.3 around it. Writing gives the same bytes for the same manifest (fixed key
 * order, ASCII, integer {@code shard_size}); reading accepts every layout model_signing has written
 * since v0.3.1 and OMS v1.0 describes, and refuses anything else with a message naming the field.
 *
 * <p>Most library users never call this package: {@link dev.modelsigning.core.local.ModelSigning}
 * and {@link dev.modelsigning.core.verify.ModelVerifier} do. API for code that works with bundles
 * itself: {@link BundleReader#read} parses a bundle into a {@link SigstoreBundle} (its {@link
 * DsseEnvelope}, {@link VerificationMaterial} and log entries); {@link StatementWriter#write} turns
 * a {@link dev.modelsigning.core.manifest.Manifest} into the bytes a signer signs; {@link
 * StatementReader#read} reads a statement from the exact signed bytes into a {@link
 * SignedStatement} (manifest, subject digest, {@link StatementFormat}). Read a statement only from
 * bytes whose signature a {@link dev.modelsigning.core.verify.SignatureVerifier} accepted: {@link
 * dev.modelsigning.core.verify.VerifiedSignature#readStatement} reads exactly those bytes. {@link
 * Statement} holds the format's constants.
 *
 * <p>Public for the other core packages, not API: {@link BundleWriter} (the one place bundles and
 * envelopes are built; signers call it), {@link Dsse} (the pre-authentication encoding), {@link
 * DsseEncoding}, {@link Json} (the one strict JSON configuration for everything the library reads
 * and writes) and {@link ShardName}. {@code JsonFields} and {@code LegacyStatementReader} are
 * package-private.
 */
@NullMarked
package dev.modelsigning.core.format;

import org.jspecify.annotations.NullMarked;
