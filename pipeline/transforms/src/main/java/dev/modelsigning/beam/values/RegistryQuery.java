package dev.modelsigning.beam.values;

import java.io.Serializable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which models a registry verification covers: every signed model found under a registry root, or
 * the models of a list read at launch.
 *
 * @param registry registry root to scan, or null when {@code listed} is given
 * @param listed the models to verify, or null when scanning
 * @param signatureName signature file name inside each model (scan)
 * @param markerGlob marker glob for unsigned-model detection (scan), or null to skip it
 */
public record RegistryQuery(
    @Nullable String registry,
    @Nullable List<FoundModel> listed,
    @Nullable String signatureName,
    @Nullable String markerGlob)
    implements Serializable {

  public static RegistryQuery scan(
      String registry, String signatureName, @Nullable String markerGlob) {
    return new RegistryQuery(registry, null, signatureName, markerGlob);
  }

  public static RegistryQuery listed(List<FoundModel> models) {
    return new RegistryQuery(null, List.copyOf(models), null, null);
  }
}
