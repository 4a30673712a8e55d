/**
 * Storage for the transforms: everything goes through Beam {@code FileSystems} (local, {@code
 * file://}, {@code gs://}, {@code s3://}), plus the Google Cloud Storage client where Beam cannot
 * express a need (object generations, create-only-if-absent uploads, key material read with one
 * metadata call and one capped read).
 *
 * <p>API for pipelines that use the transforms: {@link PathStyleS3ClientBuilderFactory} (Beam's S3
 * client for S3-compatible stores that need path-style URLs), {@link GcsClients} (where the Storage
 * client comes from: a {@link GcsClients.StorageFactory} registered through {@link
 * java.util.ServiceLoader}, else application default credentials), {@link JobFileSystems}
 * (registers the file systems for a job without the AWS region probe when no location is on S3) and
 * {@link MaterialFiles} (reads a file an option names, capped, with errors naming option and
 * location; {@link MissingFileException} when it does not exist).
 *
 * <p>Public because the transforms, the application or the tests call them, and not meant for other
 * use: {@link ModelLister} (lists a model by the core rules, with generations on {@code gs://}; a
 * verifying request lists through its signature's plan, so unsigned files can be set aside unread),
 * {@link UnitHasher} (one ranged, retried read per run of units, re-checking size, modification
 * time and generation), {@link RetryingReads}, {@link ModelChanges} (the re-listing before
 * signing), {@link SignatureStore}, {@link GcsSignatureStore} and {@link S3SignatureStore}
 * (all-or-nothing bundle writes; no-clobber by hard link locally, {@code ifGenerationMatch=0} on
 * GCS, {@code If-None-Match: *} on S3, check-then-write elsewhere), {@link RegistryScanner} (finds
 * a registry's models, reads model lists) and {@link ResultFiles}. {@code GcsGenerations} and
 * {@code GcsObjectReader} are package-private.
 */
@NullMarked
package dev.modelsigning.beam.io;

import org.jspecify.annotations.NullMarked;
