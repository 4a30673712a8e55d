package dev.modelsigning.core.signing.sigstore;

import java.util.List;

/**
 * What a verified keyless bundle proved.
 *
 * @param statement the DSSE payload exactly as signed
 * @param identity the signer identity (certificate SAN) that matched the policy
 * @param issuer the OIDC issuer Fulcio recorded
 * @param logEntryKind the transparency log entry's kind and version, e.g. {@code dsse/0.0.1}
 * @param notes things set aside during verification that a user should know about (for example a
 *     timestamp from an authority the trust root does not list); empty when there were none
 */
public record KeylessVerificationResult(
    byte[] statement, String identity, String issuer, String logEntryKind, List<String> notes) {
  public KeylessVerificationResult {
    statement = statement.clone();
    notes = List.copyOf(notes);
  }

  @Override
  public byte[] statement() {
    return statement.clone();
  }
}
