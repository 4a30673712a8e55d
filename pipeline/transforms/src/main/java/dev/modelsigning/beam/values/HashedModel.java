package dev.modelsigning.beam.values;

import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.verify.ComparisonResult;
import dev.modelsigning.core.verify.ManifestComparison;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model after hashing: the manifest recomputed from its files, or the errors that prevented it.
 */
public record HashedModel(ModelSnapshot snapshot, @Nullable Manifest manifest, List<String> errors)
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
    ModelRequest.Expectation expected =
        Objects.requireNonNull(
            snapshot.request().expected(), "a verifying request has an expectation");
    Manifest actual = Objects.requireNonNull(manifest, "an ok() model has a manifest");
    return ManifestComparison.compare(expected.manifest(), actual, expected.unsignedFiles())
        .withSetAside(snapshot.unsignedFiles());
  }
}
