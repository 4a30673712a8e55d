package dev.modelsigning.beam.io;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.util.function.Supplier;

/**
 * The one place the pipeline gets its Google Cloud Storage client from (signature writes, listed
 * generations, pinned reads), so a test replaces it once for all of them with an in-process fake.
 */
public final class GcsClients {
  /** Built on first use and then shared: the client is thread-safe and costly to create. */
  private static final Supplier<Storage> DEFAULT =
      new Supplier<>() {
        private volatile Storage storage;

        @Override
        public Storage get() {
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
      };

  private static volatile Supplier<Storage> factory = DEFAULT;

  private GcsClients() {}

  /** The client over application default credentials, or the one a test installed. */
  static Storage storage() {
    return factory.get();
  }

  /** Replaces the client factory, for tests that run against an in-process fake. */
  public static void use(Supplier<Storage> clients) {
    factory = clients;
  }

  /** Goes back to the real client. */
  public static void useDefault() {
    factory = DEFAULT;
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
