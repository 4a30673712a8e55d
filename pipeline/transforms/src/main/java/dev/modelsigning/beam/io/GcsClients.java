package dev.modelsigning.beam.io;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * Where the pipeline's Google Cloud Storage client comes from. {@link GcsSignatureStore}, {@link
 * GcsGenerations} and {@link GcsObjectReader} take the client as a parameter; the entry points the
 * rest of the pipeline calls without one (signature writes, listed generations, pinned reads) use
 * {@link #storage()}: the client of the {@link StorageFactory} registered through {@link
 * ServiceLoader}, or by default one over application default credentials. Nothing here can be
 * replaced at run time.
 */
public final class GcsClients {
  /**
   * Supplies the Storage client, registered in {@code
   * META-INF/services/dev.modelsigning.beam.io.GcsClients$StorageFactory}: for a client with other
   * settings (endpoint, credentials, retries), or an in-process fake on a test classpath. At most
   * one may be registered.
   */
  public interface StorageFactory {
    /**
     * The client to use. Called for every GCS operation, so return a shared client: it is
     * thread-safe and costly to create.
     */
    Storage storage();
  }

  private GcsClients() {}

  /** The registered factory's client, or the default one. */
  static Storage storage() {
    return Factory.INSTANCE.storage();
  }

  /** Resolved once, when first needed, so that parsing a location never loads a client. */
  private static final class Factory {
    static final StorageFactory INSTANCE = load();

    private static StorageFactory load() {
      List<StorageFactory> registered = new ArrayList<>();
      // The loader of this class sees the jars it came in; the thread's loader depends on the
      // runner.
      ServiceLoader.load(StorageFactory.class, StorageFactory.class.getClassLoader())
          .forEach(registered::add);
      if (registered.size() > 1) {
        throw new IllegalStateException(
            "more than one GcsClients.StorageFactory is registered: "
                + registered.stream().map(f -> f.getClass().getName()).toList());
      }
      return registered.isEmpty() ? new DefaultStorage() : registered.get(0);
    }
  }

  /** Application default credentials; built on first use and then shared. */
  private static final class DefaultStorage implements StorageFactory {
    private volatile @Nullable Storage storage;

    @Override
    public Storage storage() {
      Storage s = storage;
      if (s == null) {
        synchronized (this) {
          if (storage == null) {
            storage = StorageOptions.getDefaultInstance().getService();
          }
          s = storage;
        }
      }
      return s;
    }
  }

  /**
   * The object a {@code gs://bucket/name} location names. Parsed by hand, not as a URI: object
   * names may hold spaces, {@code #} and {@code ?}, which are part of the name.
   */
  static BlobId blobId(String location) {
    String[] parts = bucketAndName(location);
    if (parts[1].isEmpty()) {
      throw new IllegalArgumentException("not a gs://bucket/object location: " + location);
    }
    return BlobId.of(parts[0], parts[1]);
  }

  /** {bucket, name} of a {@code gs://} location; the name is empty for a whole bucket. */
  static String[] bucketAndName(String location) {
    if (!location.startsWith("gs://")) {
      throw new IllegalArgumentException("not a gs:// location: " + location);
    }
    String rest = location.substring("gs://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String name = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("not a gs://bucket/object location: " + location);
    }
    return new String[] {bucket, name};
  }
}
