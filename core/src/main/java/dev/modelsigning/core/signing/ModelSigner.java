package dev.modelsigning.core.signing;

/**
 * Signs an in-toto statement (the serialized model manifest) and returns a complete Sigstore bundle
 * v0.3 (JSON, UTF-8) whose DSSE envelope carries exactly those statement bytes with payload type
 * {@code application/vnd.in-toto+json}.
 */
public interface ModelSigner {
  byte[] sign(byte[] statementJson);
}
