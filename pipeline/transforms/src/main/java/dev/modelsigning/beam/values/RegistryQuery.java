package dev.modelsigning.beam.values;

import java.io.Serializable;

/**
 * Which models a registry verification covers.
 *
 * @param registry registry root to scan, or null when {@code modelList} is given
 * @param modelList file listing model paths, or null
 * @param signatureName signature file name inside each model
 * @param markerGlob marker glob for unsigned-model detection, or null to skip it
 */
public record RegistryQuery(
    String registry, String modelList, String signatureName, String markerGlob)
    implements Serializable {}
