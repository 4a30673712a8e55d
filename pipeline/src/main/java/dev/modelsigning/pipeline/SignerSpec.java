package dev.modelsigning.pipeline;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.signing.ModelSigner;
import dev.modelsigning.pipeline.options.SignerOptions;

/** The signer the options describe; built on the worker that signs. */
public record SignerSpec(String kind) implements SignerFactory {
  public static SignerSpec from(SignerOptions options) {
    return new SignerSpec(options.getSigner());
  }

  @Override
  public ModelSigner create() {
    throw new InvalidInputException("signer '" + kind + "' is not available yet");
  }
}
