package dev.modelsigning.beam.values;

import java.io.Serializable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A model's files as listed once at the start of a job, in resource order; or why it could not be
 * listed (bulk verification reports that per model instead of failing the job).
 *
 * @param files the files to hash
 * @param unsignedFiles files verification set aside unopened because no signed resource names them
 *     and the request tolerates unsigned files; in path order, empty otherwise
 * @param error why the model could not be listed, or null
 */
public record ModelSnapshot(
    ModelRequest request,
    List<ListedFile> files,
    List<String> unsignedFiles,
    @Nullable String error)
    implements Serializable {
  public ModelSnapshot {
    files = List.copyOf(files);
    unsignedFiles = List.copyOf(unsignedFiles);
  }

  public ModelSnapshot(ModelRequest request, List<ListedFile> files) {
    this(request, files, List.of(), null);
  }

  public static ModelSnapshot failed(ModelRequest request, String error) {
    return new ModelSnapshot(request, List.of(), List.of(), error);
  }

  /** The model root: how results name the model. */
  public String model() {
    return request.location().root();
  }

  /**
   * What joins this model's digests back to it: the whole request, so two requests for the same
   * model in one pipeline (say, files and shards, or two signature locations) never mix.
   */
  public String key() {
    return request.joinKey();
  }

  public long totalBytes() {
    return files.stream().mapToLong(ListedFile::size).sum();
  }
}
