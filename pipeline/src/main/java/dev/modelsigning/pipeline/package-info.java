/**
 * The application: one {@code *Pipeline} class per job (sign, verify, digest, verify-registry),
 * each building its Beam graph from the job's options; {@link dev.modelsigning.pipeline.JobSpecs}
 * turns options into the signer and verifier settings the transforms take, and {@link
 * dev.modelsigning.pipeline.ModelJobs} into model requests. The Flex Templates run these classes'
 * {@code main}s; the command line ({@code cli}) runs them or the in-process engine. Nothing here is
 * a library API: depend on {@code model-signing-beam} (the transforms) or {@code
 * model-signing-core} instead.
 */
@NullMarked
package dev.modelsigning.pipeline;

import org.jspecify.annotations.NullMarked;
