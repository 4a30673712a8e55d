package dev.modelsigning.core.format;

import dev.modelsigning.core.manifest.Manifest;

/**
 * A statement read back from verified envelope bytes.
 *
 * @param manifest the signed manifest, resources in the order they were listed
 * @param subjectDigestHex the subject's sha256, already checked against the resources; for a {@link
 *     StatementFormat#LEGACY_V0_2} statement, which has no such subject, the same digest computed
 *     over its signed per-file digests
 * @param format the statement's layout; {@link StatementFormat#LEGACY_V0_2} statements have an
 *     empty model name
 */
public record SignedStatement(Manifest manifest, String subjectDigestHex, StatementFormat format) {
  public SignedStatement(Manifest manifest, String subjectDigestHex) {
    this(manifest, subjectDigestHex, StatementFormat.V1_0);
  }

  public String subjectName() {
    return manifest.modelName();
  }
}
