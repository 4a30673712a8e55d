package dev.modelsigning.core.verify;

/**
 * What a successful model verification established.
 *
 * @param signer who signed (key hint or certificate identity), as the policy describes it
 * @param subjectName the signed subject's name (the model's basename at signing time)
 * @param subjectDigestHex the signed subject's sha256
 * @param fileCount files re-hashed and matched
 * @param byteCount bytes in those files
 */
public record VerificationResult(
    String signer, String subjectName, String subjectDigestHex, int fileCount, long byteCount) {}
