package dev.modelsigning.core.verify;

import dev.modelsigning.core.format.DsseEncoding;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.format.StatementReader;

/**
 * The outcome of a successful signature check.
 *
 * @param statement the verified DSSE payload, exactly as signed
 * @param signer who signed: the certificate identity, or the public key hint
 * @param encoding which bytes the signature covers: the standard DSSE encoding, or model_signing
 *     v0.2's legacy one (only ever with v0.2's predicate)
 */
public record VerifiedSignature(byte[] statement, String signer, DsseEncoding encoding) {
  public VerifiedSignature {
    statement = statement.clone();
  }

  /**
   * A signature over the standard DSSE encoding (every verifier but v0.2's key and certificate).
   */
  public VerifiedSignature(byte[] statement, String signer) {
    this(statement, signer, DsseEncoding.STANDARD);
  }

  @Override
  public byte[] statement() {
    return statement.clone();
  }

  /** The signed statement, read under the rules of the encoding its signature covers. */
  public SignedStatement readStatement() {
    return StatementReader.read(statement, encoding);
  }
}
