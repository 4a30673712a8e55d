package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.VerificationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What a log entry proves about itself: that it is in the log (an RFC 6962 inclusion proof up to a
 * checkpoint the log signed) and, for Rekor v1, when the log promised to include it (the signed
 * entry timestamp over body, integrated time, log id and index).
 */
final class LogEntryProofs {
  private LogEntryProofs() {}

  /** Checkpoint signed by {@code log}'s key, then the audit path from the entry to its root. */
  static void requireIncluded(BundleLogEntry entry, TrustedLog log) {
    SignedCheckpoint checkpoint = SignedCheckpoint.parse(entry.proof().checkpoint());
    requireSignedBy(checkpoint, log);

    BundleLogEntry.Proof proof = entry.proof();
    if (proof.treeSize() != checkpoint.treeSize()
        || !MessageDigest.isEqual(proof.rootHash(), checkpoint.rootHash())) {
      throw new VerificationException(
          "inclusion proof: its tree (size "
              + proof.treeSize()
              + ") is not the one the checkpoint signs (size "
              + checkpoint.treeSize()
              + ")");
    }
    // Rekor v1 proofs index the entry within its shard (the top-level index is global); Rekor v2
    // has one index and repeats it.
    if (entry.isRekorV2() && proof.logIndex() != entry.logIndex()) {
      throw new VerificationException(
          "inclusion proof is for index "
              + proof.logIndex()
              + ", the entry is "
              + entry.logIndex());
    }
    MerkleInclusion.verify(
        MerkleInclusion.leafHash(entry.canonicalizedBody()),
        proof.logIndex(),
        checkpoint.treeSize(),
        proof.hashes(),
        checkpoint.rootHash());
  }

  /**
   * At least one signature line must be the log's: key name matching the log's URL, key hint
   * matching the key id derived from that name and the log's key, and a valid signature.
   */
  private static void requireSignedBy(SignedCheckpoint checkpoint, TrustedLog log) {
    byte[] data = checkpoint.noteText().getBytes(StandardCharsets.UTF_8);
    boolean candidate = false;
    for (SignedCheckpoint.NoteSignature signature : checkpoint.signatures()) {
      if (!log.isKeyName(signature.keyName())) {
        continue; // a witness or another log
      }
      byte[] keyId = log.checkpointKeyId(signature.keyName());
      if (!MessageDigest.isEqual(java.util.Arrays.copyOf(keyId, 4), signature.keyHint())) {
        continue;
      }
      candidate = true;
      if (log.verifies(data, signature.signature())) {
        return;
      }
    }
    throw new VerificationException(
        candidate
            ? "transparency log checkpoint signature does not verify with the key of "
                + log.describe()
            : "transparency log checkpoint carries no signature by the key of "
                + log.describe()
                + " (key name and key hint must match the trust root)");
  }

  /** Rekor v1's inclusion promise: the log's signature over the canonical entry summary. */
  static void requirePromise(BundleLogEntry entry, TrustedLog log, byte[] signedEntryTimestamp) {
    // RFC 8785 form of {body, integratedTime, logID, logIndex}: keys sorted, no whitespace; the
    // values are base64, hex and integers, which need no escaping.
    String canonical =
        "{\"body\":\""
            + Base64.getEncoder().encodeToString(entry.canonicalizedBody())
            + "\",\"integratedTime\":"
            + entry.integratedTime()
            + ",\"logID\":\""
            + HexFormat.of().formatHex(entry.logId())
            + "\",\"logIndex\":"
            + entry.logIndex()
            + "}";
    if (!log.verifies(canonical.getBytes(StandardCharsets.UTF_8), signedEntryTimestamp)) {
      throw new VerificationException(
          "transparency log inclusion promise (signed entry timestamp) does not verify with the"
              + " key of "
              + log.describe());
    }
  }
}
