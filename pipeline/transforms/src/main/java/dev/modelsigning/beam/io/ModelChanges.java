package dev.modelsigning.beam.io;

import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.core.ModelSigningException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Re-lists a model just before it is signed: a file that appeared, disappeared or changed since the
 * listing means the digests describe no single state of the model, so nothing is signed.
 */
public final class ModelChanges {
  private ModelChanges() {}

  public static void requireUnchangedSince(ModelSnapshot before) {
    ModelSnapshot now = ModelLister.snapshot(before.request());
    Map<String, ListedFile> old = index(before.files());
    Map<String, ListedFile> cur = index(now.files());
    List<String> problems = new ArrayList<>();
    for (String p : cur.keySet()) {
      if (!old.containsKey(p)) {
        problems.add("'" + p + "' appeared");
      } else if (!old.get(p).equals(cur.get(p))) {
        problems.add("'" + p + "' was modified");
      }
    }
    for (String p : old.keySet()) {
      if (!cur.containsKey(p)) {
        problems.add("'" + p + "' disappeared");
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelSigningException(
          "the model changed while it was being hashed ("
              + String.join(", ", problems)
              + "); nothing was signed");
    }
  }

  private static Map<String, ListedFile> index(List<ListedFile> files) {
    Map<String, ListedFile> out = new TreeMap<>();
    for (ListedFile f : files) {
      out.put(f.path(), f);
    }
    return out;
  }
}
