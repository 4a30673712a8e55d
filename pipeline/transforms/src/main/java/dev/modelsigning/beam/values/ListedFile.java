package dev.modelsigning.beam.values;

import java.io.Serializable;

/**
 * A model file as listed, with what is re-checked before and after it is hashed: a file whose size
 * or modification time moved while the job ran fails the job instead of being signed.
 *
 * @param generation the object generation on {@code gs://}, which pins reads to exactly the listed
 *     bytes; 0 when not known or the store has no generations (local disks, {@code s3://})
 */
public record ListedFile(String path, long size, long lastModifiedMillis, long generation)
    implements Serializable {}
