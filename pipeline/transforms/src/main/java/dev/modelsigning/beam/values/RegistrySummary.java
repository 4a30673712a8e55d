package dev.modelsigning.beam.values;

import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.io.Serializable;

/**
 * The counts of a registry verification ({@code summary.json}), and where its report is.
 *
 * @param models models checked
 * @param verified models whose signature and contents verified
 * @param failed models whose signature or contents do not verify
 * @param unsigned model directories without a signature
 * @param error models that could not be checked
 * @param report the JSONL report
 */
public record RegistrySummary(
    long models, long verified, long failed, long unsigned, long error, String report)
    implements Serializable {

  public long notVerified() {
    return models - verified;
  }

  /** The line the launcher prints and the job logs. */
  public String describe() {
    return String.format(
        "%d models: %d verified, %d failed, %d unsigned, %d error; report %s",
        models, verified, failed, unsigned, error, report);
  }

  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new ModelSigningException("cannot serialize the registry summary", e);
    }
  }

  public static RegistrySummary fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, RegistrySummary.class);
    } catch (IOException e) {
      throw new ModelSigningException("unreadable registry summary: " + e.getMessage(), e);
    }
  }
}
