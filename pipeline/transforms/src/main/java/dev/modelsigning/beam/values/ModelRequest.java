package dev.modelsigning.beam.values;

import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import java.io.Serializable;
import java.util.List;

/**
 * One model to hash: where it is, how to serialize it and which paths to leave out.
 *
 * @param location the model root
 * @param settings serialization recorded in (or read from) the statement
 * @param ignorePaths every ignored path, relative to the root
 */
public record ModelRequest(
    ModelLocation location,
    SerializationSettings settings,
    List<String> ignorePaths,
    Expectation expected)
    implements Serializable {

  /**
   * What verification compares the recomputed manifest with.
   *
   * @param manifest the signed manifest
   * @param signer who signed it, for reports
   * @param signature where the signature was read from
   */
  public record Expectation(
      dev.modelsigning.core.manifest.Manifest manifest, String signer, String signature)
      implements Serializable {}

  /** A model to sign: nothing to compare with yet. */
  public static ModelRequest toSign(
      ModelLocation location, SerializationSettings settings, List<String> ignorePaths) {
    return new ModelRequest(location, settings, ignorePaths, null);
  }

  public ModelRequest {
    ignorePaths = List.copyOf(ignorePaths);
  }

  public ListingPolicy listingPolicy() {
    return new ListingPolicy(IgnorePaths.exactly(ignorePaths), settings.allowSymlinks());
  }
}
