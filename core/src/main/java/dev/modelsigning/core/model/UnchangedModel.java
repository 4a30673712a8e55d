package dev.modelsigning.core.model;

import dev.modelsigning.core.ModelSigningException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares two listings of one model taken before and after hashing. A file that appeared,
 * disappeared or changed means the digests describe no single state of the model, so nothing may be
 * signed. Both engines (in-process and Beam) use this one rule and wording.
 */
public final class UnchangedModel {
  private UnchangedModel() {}

  /**
   * @param before what was listed before hashing, keyed by model-relative path; values are any
   *     per-file state with value equality (size, modification time, generation, ...)
   * @param after the same, listed after hashing
   * @throws ModelSigningException naming every file that appeared, changed or disappeared
   */
  public static void require(Map<String, ?> before, Map<String, ?> after) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, ?> now : after.entrySet()) {
      String path = now.getKey();
      if (!before.containsKey(path)) {
        problems.add("'" + path + "' appeared");
      } else if (!before.get(path).equals(now.getValue())) {
        problems.add("'" + path + "' was modified");
      }
    }
    for (String path : before.keySet()) {
      if (!after.containsKey(path)) {
        problems.add("'" + path + "' disappeared");
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelSigningException(
          "the model changed while it was being hashed ("
              + String.join(", ", problems)
              + "); nothing was signed");
    }
  }
}
