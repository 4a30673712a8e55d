/**
 * Sign and verify ML models in the OpenSSF Model Signing v1.0 / model_signing v1.x format, in plain
 * Java (no Beam). Start with {@link dev.modelsigning.core.local.ModelSigning} to sign a model on
 * local disk and {@link dev.modelsigning.core.verify.ModelVerifier} to verify one; the signers they
 * take are in {@code core.signing} (and {@code core.signing.pkcs11}, {@code core.signing.sigstore},
 * the {@code model-signing-kms} module), the verifiers in {@code core.verify}.
 *
 * <p>This package holds the exceptions every other package throws; all four are API. Their messages
 * are written for the person running the tool (they name the file, option or bundle field at
 * fault), so print them without a stack trace. {@link ModelSigningException} is the base: a failure
 * (the CLI's exit 1). {@link VerificationException}: the signature, bundle or model does not verify
 * (exit 1). {@link InvalidInputException}: bad input from the user, such as a missing path, an
 * empty model or an unreadable key (exit 2). {@link SignatureExistsException}, an {@code
 * InvalidInputException}: the signature is already there and overwriting was not asked for.
 */
@NullMarked
package dev.modelsigning.core;

import org.jspecify.annotations.NullMarked;
