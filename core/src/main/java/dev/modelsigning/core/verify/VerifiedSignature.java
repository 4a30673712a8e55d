package dev.modelsigning.core.verify;

import dev.modelsigning.core.format.DsseEncoding;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.format.StatementReader;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a successful signature check.
 *
 * @param statement the verified DSSE payload, exactly as signed
 * @param signer who signed: the certificate identity, or the public key hint
 * @param encoding which bytes the signature covers: the standard DSSE encoding, or model_signing
 *     v0.2's legacy one (only ever with v0.2's predicate)
 * @param notes what the check set aside and a user should hear about (for example a timestamp from
 *     an authority the trust root does not list); empty when there was nothing
 * @param signedAt when it was signed, as a verified transparency log entry or RFC 3161 timestamp
 *     proves; null when nothing verified proves it (key and certificate bundles)
 * @param logIndex the transparency log index a verified proof covers; null when there is none
 */
public record VerifiedSignature(
    byte[] statement,
    String signer,
    DsseEncoding encoding,
    List<String> notes,
    @Nullable Instant signedAt,
    @Nullable Long logIndex) {
  public VerifiedSignature {
    statement = statement.clone();
    notes = List.copyOf(notes);
  }

  /** A signature over the given encoding, with notes and no proven time or log entry. */
  public VerifiedSignature(
      byte[] statement, String signer, DsseEncoding encoding, List<String> notes) {
    this(statement, signer, encoding, notes, null, null);
  }

  /** A signature over the standard DSSE encoding, with nothing to report. */
  public VerifiedSignature(byte[] statement, String signer) {
    this(statement, signer, DsseEncoding.STANDARD, List.of());
  }

  /** A signature over the given encoding, with nothing to report. */
  public VerifiedSignature(byte[] statement, String signer, DsseEncoding encoding) {
    this(statement, signer, encoding, List.of());
  }

  /** A signature over the standard DSSE encoding, with notes for the user. */
  public VerifiedSignature(byte[] statement, String signer, List<String> notes) {
    this(statement, signer, DsseEncoding.STANDARD, notes);
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
