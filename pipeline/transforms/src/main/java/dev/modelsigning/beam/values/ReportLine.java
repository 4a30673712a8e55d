package dev.modelsigning.beam.values;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One model's line in a registry verification report.
 *
 * @param model the model root
 * @param id the model list's {@code "id"} for the model, or null
 * @param policy the name of the policy-file rule applied to the model, or null (unnamed rule or the
 *     command-line policy)
 * @param status verified, failed (signature or contents do not verify), unsigned, or error (could
 *     not be checked: unreadable object, I/O failure)
 * @param signer certificate identity or key hint, when the signature verified
 * @param subjectDigest the signed subject digest, when known
 * @param signedAt the signing time the signature check verified (transparency log or RFC 3161
 *     timestamp), or null: key and certificate bundles prove none
 * @param logIndex the transparency log index the signature check verified, or null
 * @param files files checked
 * @param bytes bytes checked
 * @param reasons why it is not verified, naming files
 * @param ignoredUnsignedFiles files the signature does not list, tolerated by the policy
 * @param notes what the signature check reported (legacy format, timestamps set aside)
 */
public record ReportLine(
    String model,
    @Nullable String id,
    @Nullable String policy,
    Status status,
    @Nullable String signer,
    @Nullable String subjectDigest,
    @Nullable Instant signedAt,
    @Nullable Long logIndex,
    long files,
    long bytes,
    List<String> reasons,
    List<String> ignoredUnsignedFiles,
    List<String> notes)
    implements Serializable {

  /** The outcome for one model. */
  public enum Status {
    VERIFIED,
    FAILED,
    UNSIGNED,
    ERROR;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ReportLine {
    reasons = List.copyOf(reasons);
    ignoredUnsignedFiles = List.copyOf(ignoredUnsignedFiles);
    notes = List.copyOf(notes);
  }

  /** A model without id or policy name that was not re-hashed. */
  public static ReportLine problem(String model, Status status, String reason) {
    return problem(new FoundModel(model, null), null, status, reason);
  }

  /** A model that was not re-hashed: unsigned, or its signature could not be checked. */
  public static ReportLine problem(
      FoundModel model, @Nullable String policy, Status status, String reason) {
    return new ReportLine(
        model.root(),
        model.id(),
        policy,
        status,
        null,
        null,
        null,
        null,
        0,
        0,
        List.of(reason),
        List.of(),
        List.of());
  }

  /**
   * The JSON line: {@code model}, {@code id}, {@code policy}, {@code status}, {@code signer},
   * {@code subjectDigest}, {@code signedAt} (ISO-8601 UTC), {@code logIndex}, {@code files}, {@code
   * bytes}, {@code reasons}, {@code ignoredUnsignedFiles}, {@code notes}; fields without a value
   * are left out, except {@code files}, {@code bytes} and {@code reasons}.
   */
  public String toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("model", model);
    if (id != null) {
      n.put("id", id);
    }
    if (policy != null) {
      n.put("policy", policy);
    }
    n.put("status", status.label());
    if (signer != null) {
      n.put("signer", signer);
    }
    if (subjectDigest != null) {
      n.put("subjectDigest", subjectDigest);
    }
    if (signedAt != null) {
      n.put("signedAt", signedAt.toString());
    }
    if (logIndex != null) {
      n.put("logIndex", logIndex.longValue());
    }
    n.put("files", files);
    n.put("bytes", bytes);
    reasons.forEach(n.putArray("reasons")::add);
    if (!ignoredUnsignedFiles.isEmpty()) {
      ignoredUnsignedFiles.forEach(n.putArray("ignoredUnsignedFiles")::add);
    }
    if (!notes.isEmpty()) {
      notes.forEach(n.putArray("notes")::add);
    }
    try {
      return Json.MAPPER.writeValueAsString(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
