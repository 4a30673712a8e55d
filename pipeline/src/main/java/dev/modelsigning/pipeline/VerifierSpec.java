package dev.modelsigning.pipeline;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.verify.SignatureVerifier;
import dev.modelsigning.pipeline.options.VerifierOptions;

/** The signature policy the options describe; built on the worker that verifies. */
public record VerifierSpec(String kind) implements VerifierFactory {
  public static VerifierSpec from(VerifierOptions options) {
    return new VerifierSpec(options.getVerifier());
  }

  @Override
  public SignatureVerifier create() {
    throw new InvalidInputException("verifier '" + kind + "' is not available yet");
  }
}
