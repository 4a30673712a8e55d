package dev.modelsigning.pipeline.io;

import java.io.Serializable;

/**
 * A model file as listed, with what is re-checked before and after it is hashed: a file whose size
 * or modification time moved while the job ran fails the job instead of being signed.
 */
public record ListedFile(String path, long size, long lastModifiedMillis) implements Serializable {}
