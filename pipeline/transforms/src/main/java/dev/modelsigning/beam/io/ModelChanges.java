package dev.modelsigning.beam.io;

import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.core.model.UnchangedModel;
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
    UnchangedModel.require(old, cur);
  }

  private static Map<String, ListedFile> index(List<ListedFile> files) {
    Map<String, ListedFile> out = new TreeMap<>();
    for (ListedFile f : files) {
      out.put(f.path(), f);
    }
    return out;
  }
}
