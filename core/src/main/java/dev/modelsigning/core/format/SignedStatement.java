package dev.modelsigning.core.format;

import dev.modelsigning.core.manifest.Manifest;

/**
 * A statement read back from verified envelope bytes.
 *
 * @param manifest the signed manifest, resources in the order they were listed
 * @param subjectDigestHex the subject's sha256, already checked against the resources
 */
public record SignedStatement(Manifest manifest, String subjectDigestHex) {
  public String subjectName() {
    return manifest.modelName();
  }
}
