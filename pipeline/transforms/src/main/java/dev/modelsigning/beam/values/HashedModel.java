package dev.modelsigning.beam.values;

import dev.modelsigning.core.manifest.Manifest;
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
}
