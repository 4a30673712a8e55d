package dev.modelsigning.core.verify;

/**
 * The outcome of a successful signature check.
 *
 * @param statement the verified DSSE payload, exactly as signed
 * @param signer who signed: the certificate identity, or the public key hint
 */
public record VerifiedSignature(byte[] statement, String signer) {
  public VerifiedSignature {
    statement = statement.clone();
  }

  @Override
  public byte[] statement() {
    return statement.clone();
  }
}
