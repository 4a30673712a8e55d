package dev.modelsigning.beam.values;

import java.io.Serializable;

/**
 * A model of a registry.
 *
 * @param root the model directory
 * @param signature its signature file, or null when unsigned
 */
public record FoundModel(String root, String signature) implements Serializable {}
