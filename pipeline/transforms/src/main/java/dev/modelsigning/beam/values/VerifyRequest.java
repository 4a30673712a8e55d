package dev.modelsigning.beam.values;

import dev.modelsigning.core.verify.UnsignedFiles;
import java.io.Serializable;
import java.util.List;

/**
 * A model to verify against its signature.
 *
 * @param location the model root
 * @param signature where its bundle is
 * @param userIgnorePaths extra paths to leave out, relative to the root
 * @param unsignedFiles whether model files the signature does not list fail verification (REFUSE,
 *     the default) or are set aside and reported (IGNORE, --ignoreUnsignedFiles)
 */
public record VerifyRequest(
    ModelLocation location,
    String signature,
    List<String> userIgnorePaths,
    UnsignedFiles unsignedFiles)
    implements Serializable {
  public VerifyRequest {
    userIgnorePaths = List.copyOf(userIgnorePaths);
  }

  public VerifyRequest(ModelLocation location, String signature, List<String> userIgnorePaths) {
    this(location, signature, userIgnorePaths, UnsignedFiles.REFUSE);
  }
}
