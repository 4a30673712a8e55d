package dev.modelsigning.beam.values;

import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.verify.ComparisonResult;
import dev.modelsigning.core.verify.ManifestComparison;
import java.io.Serializable;
import java.util.List;

/**
 * A model after hashing: the manifest recomputed from its files, or the errors that prevented it.
 */
public record HashedModel(ModelSnapshot snapshot, Manifest manifest, List<String> errors)
    implements Serializable {
  public HashedModel {
    errors = List.copyOf(errors);
  }

  public boolean ok() {
    return errors.isEmpty() && manifest != null;
  }

  /**
   * Compares the recomputed manifest with the signed one the request expects; unsigned files set
   * aside while listing are reported with those the comparison tolerated.
   *
   * @throws dev.modelsigning.core.VerificationException naming every difference
   */
  public ComparisonResult compareWithSignature() {
    ModelRequest.Expectation expected = snapshot.request().expected();
    return ManifestComparison.compare(expected.manifest(), manifest, expected.unsignedFiles())
        .withSetAside(snapshot.unsignedFiles());
  }
}
