package dev.modelsigning.beam.spec;

import dev.modelsigning.core.signing.ModelSigner;
import java.io.Serializable;

/**
 * Builds the signer on the worker that signs. It is shipped in the pipeline graph, so it holds only
 * where secrets are (file paths, variable names), never the secrets themselves.
 */
public interface SignerFactory extends Serializable {
  ModelSigner create();
}
