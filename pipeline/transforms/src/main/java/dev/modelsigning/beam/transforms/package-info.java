/**
 * Reusable Beam transforms that sign and verify models in the Sigstore model-signing format
 * (artifact {@code model-signing-beam}). Hashing fans out over every worker; each manifest is
 * signed once. The transforms use only core Beam (no runner classes), and everything they carry to
 * workers is public material as bytes or the locations of secrets ({@code beam.spec}).
 *
 * <p>API: {@link SignModel} ({@code ModelRequest} to {@code ModelResult}: hash, sign once, publish
 * the bundle atomically), {@link VerifyModel} ({@code VerifyRequest} to {@code ModelResult}; fails
 * the job with a {@code VerificationException} naming what differs), {@link DigestModel} (the
 * subject digest, as model_signing's {@code digest}), {@link HashModels} (the hashing stage the
 * others share: list, plan batches, reshuffle, hash with ranged reads, join by request, assemble;
 * {@link HashModels#failingFast} or {@link HashModels#collectingErrors}), {@link VerifyRegistry}
 * (every model of a registry scan or model list, each under its policy rule, one {@code ReportLine}
 * each), {@link WriteReport} ({@code report.jsonl} and {@code summary.json}, optionally failing the
 * job afterwards) and {@link PublishResult} (hands the result back to the launcher as a {@code
 * model-signing} StringSet metric and, when asked, a result file).
 *
 * <p>The {@code DoFn}s behind them ({@code ListModelFn}, {@code PlanBatchesFn}, {@code
 * HashBatchFn}, {@code AssembleManifestFn}, {@code SignModelFn}, {@code ReadSignatureFn}, {@code
 * CheckSignatureFn}, {@code CompareToReportFn}) are package-private.
 */
@NullMarked
package dev.modelsigning.beam.transforms;

import org.jspecify.annotations.NullMarked;
