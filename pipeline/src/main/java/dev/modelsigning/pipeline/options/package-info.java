/**
 * The jobs' Beam options interfaces, one per concern (model, hashing, signer, verifier, Sigstore
 * instance, registry), each option documented where it is declared. A getter without a default is
 * {@code @Nullable}: null means the option was not given.
 */
@NullMarked
package dev.modelsigning.pipeline.options;

import org.jspecify.annotations.NullMarked;
