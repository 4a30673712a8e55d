package dev.modelsigning.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads model_signing v0.2's statement ({@link Statement#LEGACY_PREDICATE_TYPE}): every file is a
 * subject {@code {name, digest: {sha256}, annotations: {actual_hash_algorithm: "file-sha256"}}} and
 * the predicate is a placeholder. As model_signing 1.x does, it is read as a files-method, SHA-256
 * manifest with no symlinks and no recorded ignore paths (so the defaults apply).
 */
final class LegacyStatementReader {
  /** The only per-file hash model_signing 1.x re-computes for these statements. */
  private static final String FILE_SHA256 = "file-sha256";

  private LegacyStatementReader() {}

  static SignedStatement read(JsonNode root) {
    JsonNode subjects = JsonFields.array(root, "subject", "statement");
    if (subjects.isEmpty()) {
      throw new VerificationException(
          "statement subject is empty: a model_signing v0.2 signature lists each signed file as a"
              + " subject, and this one lists none");
    }
    SerializationSettings settings = SerializationSettings.files(HashAlgorithm.SHA256, false, null);
    List<ResourceDigest> resources = new ArrayList<>(subjects.size());
    for (JsonNode subject : subjects) {
      if (!subject.isObject()) {
        throw new VerificationException("statement subject entries must be objects");
      }
      String name = JsonFields.text(subject, "name", "subject");
      String where = "subject '" + StatementReader.printable(name) + "'";
      JsonNode annotations = subject.get("annotations");
      if (annotations != null && !annotations.isNull()) {
        if (!annotations.isObject()) {
          throw new VerificationException(where + " annotations must be an object");
        }
        String actual = JsonFields.optionalText(annotations, "actual_hash_algorithm", where);
        if (actual != null && !actual.equals(FILE_SHA256)) {
          throw new VerificationException(
              where
                  + " was hashed with '"
                  + actual
                  + "'; model_signing v0.2 signatures are verifiable for '"
                  + FILE_SHA256
                  + "' only");
        }
      }
      String hex = JsonFields.text(JsonFields.object(subject, "digest", where), "sha256", where);
      byte[] digest = JsonFields.hex(hex, where + " digest.sha256");
      if (digest.length != HashAlgorithm.SHA256.digestLength()) {
        throw new VerificationException(
            where + " digest.sha256 has " + digest.length + " bytes; sha256 digests have 32");
      }
      resources.add(new ResourceDigest(name, HashAlgorithm.SHA256.label(), digest));
    }
    StatementReader.requireUsableNames(resources, settings, "subject");
    // v0.2 names no model; the root digest is ours, over its signed digests in listed order.
    Manifest manifest = new Manifest("", settings, resources);
    return new SignedStatement(manifest, manifest.subjectDigestHex(), StatementFormat.LEGACY_V0_2);
  }
}
