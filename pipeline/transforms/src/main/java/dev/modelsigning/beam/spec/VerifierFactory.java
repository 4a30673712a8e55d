package dev.modelsigning.beam.spec;

import dev.modelsigning.core.verify.SignatureVerifier;
import java.io.Serializable;

/** Builds the signature policy on the worker that checks bundles. */
public interface VerifierFactory extends Serializable {
  SignatureVerifier create();
}
