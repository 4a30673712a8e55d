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
 */
public record ReportLine(
    String model,
    Status status,
    String signer,
    String subjectDigest,
    long files,
    long bytes,
    List<String> reasons)
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
  }

  public static ReportLine problem(String model, Status status, String reason) {
    return new ReportLine(model, status, null, null, 0, 0, List.of(reason));
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
    try {
      return Json.MAPPER.writeValueAsString(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
