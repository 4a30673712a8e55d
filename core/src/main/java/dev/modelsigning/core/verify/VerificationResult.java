package dev.modelsigning.core.verify;

import dev.modelsigning.core.format.StatementFormat;
import java.util.List;

/**
 * What a successful model verification established.
 *
 * @param signer who signed (key hint or certificate identity), as the policy describes it
 * @param subjectName the signed subject's name (the model's basename at signing time)
 * @param subjectDigestHex the signed subject's sha256, over the signed resources only
 * @param fileCount signed files re-hashed and matched
 * @param byteCount bytes in those files
 * @param ignoredUnsignedFiles files the signature does not list, tolerated (and not read) because
 *     verification ran with {@link UnsignedFiles#IGNORE}; empty otherwise. In path order; a name
 *     that is not valid UTF-8 is shown with {@code \xNN} escapes
 * @param format the signed statement's layout: {@link StatementFormat#LEGACY_V0_2} means the
 *     signature uses model_signing v0.2's legacy format (no model name, so {@code subjectName} is
 *     empty, and {@code subjectDigestHex} is computed over its per-file digests), which a user
 *     should be told about
 * @param notes what the signature check set aside and a user should hear about (for example a
 *     timestamp from an authority the trust root does not list)
 */
public record VerificationResult(
    String signer,
    String subjectName,
    String subjectDigestHex,
    int fileCount,
    long byteCount,
    List<String> ignoredUnsignedFiles,
    StatementFormat format,
    List<String> notes) {
  public VerificationResult {
    ignoredUnsignedFiles = List.copyOf(ignoredUnsignedFiles);
    notes = List.copyOf(notes);
  }
}
