package dev.modelsigning.beam.io;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.model.ListedEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learns the generation of every object of a {@code gs://} model that Beam {@code FileSystems}
 * listed (Beam's metadata has no generation), with one paged Storage listing of the same prefix,
 * joined by name. The two listings are taken moments apart: if they disagree on which objects exist
 * or on a size, the model changed in between and is refused rather than pinned to a mix.
 */
final class GcsGenerations {
  private GcsGenerations() {}

  /** {@link #of(Storage, String, List)} with the pipeline's client ({@link GcsClients}). */
  static Map<String, Long> of(String root, List<ListedEntry> listed) {
    return of(GcsClients.storage(), root, listed);
  }

  /**
   * @param root the model's {@code gs://} location, without a trailing slash
   * @param listed the objects as Beam listed them, relative to {@code root} ({@code "."} for a
   *     single-object model)
   * @return each listed path's generation
   */
  static Map<String, Long> of(Storage storage, String root, List<ListedEntry> listed) {
    try {
      if (listed.size() == 1 && listed.get(0).path().equals(".")) {
        return singleObject(storage, root, listed.get(0).size());
      }
      return underPrefix(storage, root, listed);
    } catch (StorageException e) {
      throw new ModelSigningException(
          "listing generations of model '" + root + "' failed: " + e.getMessage(), e);
    }
  }

  private static Map<String, Long> singleObject(Storage storage, String root, long listedSize) {
    BlobId id = GcsClients.blobId(root);
    Blob blob =
        storage.get(
            id, Storage.BlobGetOption.fields(Storage.BlobField.SIZE, Storage.BlobField.GENERATION));
    if (blob == null) {
      throw changed(root, "it disappeared");
    }
    requireSameSize(root, listedSize, blob);
    return Map.of(".", generation(blob));
  }

  private static Map<String, Long> underPrefix(
      Storage storage, String root, List<ListedEntry> listed) {
    String[] bucketAndName = GcsClients.bucketAndName(root);
    String prefix = bucketAndName[1].isEmpty() ? "" : bucketAndName[1] + "/";
    Map<String, Long> sizes = new HashMap<>();
    for (ListedEntry e : listed) {
      sizes.put(e.path(), e.size());
    }
    Map<String, Long> generations = new TreeMap<>();
    Iterable<Blob> blobs =
        storage
            .list(
                bucketAndName[0],
                Storage.BlobListOption.prefix(prefix),
                Storage.BlobListOption.fields(
                    Storage.BlobField.NAME, Storage.BlobField.SIZE, Storage.BlobField.GENERATION))
            .iterateAll();
    for (Blob blob : blobs) {
      String name = blob.getName();
      if (name.endsWith("/")) {
        continue; // directory placeholders, skipped by the Beam listing too
      }
      String path = name.substring(prefix.length());
      Long size = sizes.get(path);
      if (size == null) {
        throw changed(root + "/" + path, "it appeared");
      }
      requireSameSize(root + "/" + path, size, blob);
      generations.put(path, generation(blob));
    }
    for (String path : sizes.keySet()) {
      if (!generations.containsKey(path)) {
        throw changed(root + "/" + path, "it disappeared");
      }
    }
    return generations;
  }

  /** 0 (unknown: reads are not pinned) only if the service left the field out. */
  private static long generation(Blob blob) {
    return blob.getGeneration() == null ? 0 : blob.getGeneration();
  }

  private static void requireSameSize(String object, long listedSize, Blob blob) {
    if (blob.getSize() == null || blob.getSize() != listedSize) {
      throw changed(object, "size " + listedSize + ", then " + blob.getSize());
    }
  }

  private static ModelSigningException changed(String object, String how) {
    return new ModelSigningException(
        "model object '"
            + object
            + "' changed while it was being listed ("
            + how
            + "); refusing to sign a model that changed during the job");
  }
}
