/**
 * What gets signed, and how a model is cut into hashing work. A {@link Manifest} is the model's
 * name, its {@link SerializationSettings} (method, hash, shard size, symlinks, ignore paths, all
 * recorded in the statement so a verifier can redo them) and its {@link ResourceDigest}s in
 * resource order; {@link HashingMethod} is files or shards. These four are API.
 *
 * <p>Engine building blocks, public so both engines share one implementation and API only for code
 * that schedules hashing itself: {@link WorkPlanner} cuts files into {@link WorkUnit}s (whole
 * files, or byte ranges named {@code path:start:end}) in resource order; {@link UnitBatcher} groups
 * units into {@link UnitBatch}es of about equal cost, each a list of {@link FileRun}s (consecutive
 * units of one file, hashed with one sequential read), largest first, with a bounded number of
 * batches. {@link dev.modelsigning.core.local.LocalModelHasher} runs the batches on a work queue;
 * the Beam pipeline spreads them over workers.
 */
@NullMarked
package dev.modelsigning.core.manifest;

import org.jspecify.annotations.NullMarked;
