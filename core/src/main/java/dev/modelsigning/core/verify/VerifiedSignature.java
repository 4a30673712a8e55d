package dev.modelsigning.core.verify;

import java.util.List;

/**
 * The outcome of a successful signature check.
 *
 * @param statement the verified DSSE payload, exactly as signed
 * @param signer who signed: the certificate identity, or the public key hint
 * @param notes what the check set aside and a user should hear about (for example a timestamp from
 *     an authority the trust root does not list); empty when there was nothing
 */
public record VerifiedSignature(byte[] statement, String signer, List<String> notes) {
  public VerifiedSignature {
    statement = statement.clone();
    notes = List.copyOf(notes);
  }

  /** A signature check with nothing to report. */
  public VerifiedSignature(byte[] statement, String signer) {
    this(statement, signer, List.of());
  }

  @Override
  public byte[] statement() {
    return statement.clone();
  }
}
