package dev.modelsigning.core.verify;

import dev.modelsigning.core.model.ModelFile;
import java.util.List;

/**
 * The files of a model to re-hash for verification, and those set aside as unsigned.
 *
 * @param files files to hash, in resource order
 * @param unsignedFiles paths no signed resource names, set aside unopened under {@link
 *     UnsignedFiles#IGNORE} (always empty under {@link UnsignedFiles#REFUSE}), in path order; a
 *     name that is not valid UTF-8 is shown with {@code \xNN} escapes
 */
public record ModelSelection(List<ModelFile> files, List<String> unsignedFiles) {
  public ModelSelection {
    files = List.copyOf(files);
    unsignedFiles = List.copyOf(unsignedFiles);
  }
}
