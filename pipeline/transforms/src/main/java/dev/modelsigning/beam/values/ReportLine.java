package dev.modelsigning.beam.values;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One model's line in a registry verification report.
 *
 * @param model the model root
 * @param status verified, failed (signature or contents do not verify), unsigned, or error (could
 *     not be checked: unreadable object, I/O failure)
 * @param signer certificate identity or key hint, when the signature verified
 * @param subjectDigest the signed subject digest, when known
 * @param files files checked
 * @param bytes bytes checked
 * @param reasons why it is not verified, naming files
 * @param ignoredUnsignedFiles files the signature does not list, tolerated by the policy
 * @param notes what the signature check reported (legacy format, timestamps set aside)
 */
public record ReportLine(
    String model,
    Status status,
    String signer,
    String subjectDigest,
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

  public static ReportLine problem(String model, Status status, String reason) {
    return new ReportLine(model, status, null, null, 0, 0, List.of(reason), List.of(), List.of());
  }

  public String toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("model", model);
    n.put("status", status.label());
    if (signer != null) {
      n.put("signer", signer);
    }
    if (subjectDigest != null) {
      n.put("subjectDigest", subjectDigest);
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
