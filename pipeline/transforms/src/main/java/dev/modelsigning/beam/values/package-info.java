/**
 * The elements that flow through the transforms of {@code beam.transforms}: serializable records
 * that carry locations, listing facts and digests, never file bytes.
 *
 * <p>API (what a pipeline builds or receives): {@link ModelLocation} (a local path or a {@code
 * gs://} / {@code s3://} prefix), {@link ModelRequest} (a model to hash or sign, with its
 * serialization settings, ignore paths and signature location), {@link VerifyRequest} (a model and
 * its bundle), {@link ModelResult} (what a sign, verify or digest job did to one model), {@link
 * RegistryQuery} (a registry scan or a model list), {@link FoundModel}, {@link ReportLine} (one
 * model's line of a registry report) and {@link RegistrySummary} (its counts).
 *
 * <p>Intermediate values, public because they cross transform boundaries and {@code beam.io}, not
 * meant to be built by users: {@link ModelSnapshot} and {@link ListedFile} (a model as listed, with
 * the size, modification time and {@code gs://} generation re-checked around every read, and the
 * unsigned files set aside), {@link HashBatch}, {@link RunTask} and {@link UnitTask} (hashing work
 * shipped to a worker), {@link HashedBatch} and {@link UnitResult} (its digests or errors), and
 * {@link HashedModel} (a manifest recomputed, or the errors that prevented it; {@link
 * HashedModel#compareWithSignature} compares it with the signed one).
 */
@NullMarked
package dev.modelsigning.beam.values;

import org.jspecify.annotations.NullMarked;
