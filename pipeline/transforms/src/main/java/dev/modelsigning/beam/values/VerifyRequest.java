package dev.modelsigning.beam.values;

import java.io.Serializable;
import java.util.List;

/**
 * A model to verify against its signature.
 *
 * @param location the model root
 * @param signature where its bundle is
 * @param userIgnorePaths extra paths to leave out, relative to the root
 */
public record VerifyRequest(ModelLocation location, String signature, List<String> userIgnorePaths)
    implements Serializable {
  public VerifyRequest {
    userIgnorePaths = List.copyOf(userIgnorePaths);
  }
}
