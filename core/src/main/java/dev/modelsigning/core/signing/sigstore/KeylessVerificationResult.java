package dev.modelsigning.core.signing.sigstore;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a verified keyless bundle proved.
 *
 * @param statement the DSSE payload exactly as signed
 * @param identity the signer identity (certificate SAN) that matched the policy
 * @param issuer the OIDC issuer Fulcio recorded
 * @param logEntryKind the transparency log entry's kind and version, e.g. {@code dsse/0.0.1}
 * @param notes things set aside during verification that a user should know about (for example a
 *     timestamp from an authority the trust root does not list); empty when there were none
 * @param signedAt the verified signing time: Rekor v1's integrated time when its inclusion promise
 *     verified, else the first RFC 3161 timestamp from a listed authority; null only when built
 *     without one
 * @param logIndex the entry's log index when a verified proof covers it (the Rekor v1 promise or
 *     the Rekor v2 inclusion proof), else null
 */
public record KeylessVerificationResult(
    byte[] statement,
    String identity,
    String issuer,
    String logEntryKind,
    List<String> notes,
    @Nullable Instant signedAt,
    @Nullable Long logIndex) {
  public KeylessVerificationResult {
    statement = statement.clone();
    notes = List.copyOf(notes);
  }

  /** A result without signing time or log index. */
  public KeylessVerificationResult(
      byte[] statement, String identity, String issuer, String logEntryKind, List<String> notes) {
    this(statement, identity, issuer, logEntryKind, notes, null, null);
  }

  @Override
  public byte[] statement() {
    return statement.clone();
  }
}
