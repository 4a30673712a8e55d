package dev.modelsigning.pipeline.io;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import dev.modelsigning.core.ModelSigningException;
import java.net.URI;
import java.util.function.Supplier;

/**
 * Publishes bundles to Google Cloud Storage with preconditions instead of check-then-write: a new
 * signature is created only if no object exists ({@code ifGenerationMatch=0}), so of two concurrent
 * signers exactly one wins; an overwrite replaces exactly the generation it saw. Each write is a
 * single-request upload, so the object appears whole or not at all.
 */
public final class GcsSignatureStore {
  private static volatile Supplier<Storage> clients =
      () -> StorageOptions.getDefaultInstance().getService();

  private final Storage storage;

  public GcsSignatureStore(Storage storage) {
    this.storage = storage;
  }

  /** The store over the default client (application default credentials). */
  static GcsSignatureStore shared() {
    return new GcsSignatureStore(clients.get());
  }

  /** Replaces the client factory, for tests that run against an in-process fake. */
  public static void useClients(Supplier<Storage> factory) {
    clients = factory;
  }

  public void write(String location, byte[] bundle, boolean overwrite) {
    BlobId id = blobId(location);
    try {
      if (!overwrite) {
        storage.create(info(id), bundle, Storage.BlobTargetOption.doesNotExist());
        return;
      }
      Blob existing = storage.get(id);
      if (existing == null) {
        storage.create(info(id), bundle, Storage.BlobTargetOption.doesNotExist());
      } else {
        BlobId seen = BlobId.of(id.getBucket(), id.getName(), existing.getGeneration());
        storage.create(info(seen), bundle, Storage.BlobTargetOption.generationMatch());
      }
    } catch (StorageException e) {
      if (e.getCode() == 412) {
        if (!overwrite) {
          throw new SignatureExistsException(location);
        }
        throw new ModelSigningException(
            "signature '" + location + "' was replaced by someone else while signing; rerun", e);
      }
      throw new ModelSigningException(
          "cannot write signature '" + location + "': " + e.getMessage(), e);
    }
  }

  private static BlobInfo info(BlobId id) {
    return BlobInfo.newBuilder(id).setContentType("application/json").build();
  }

  static BlobId blobId(String location) {
    URI uri = URI.create(location);
    String name = uri.getPath().startsWith("/") ? uri.getPath().substring(1) : uri.getPath();
    if (!"gs".equals(uri.getScheme()) || uri.getHost() == null || name.isEmpty()) {
      throw new IllegalArgumentException("not a gs://bucket/object location: " + location);
    }
    return BlobId.of(uri.getHost(), name);
  }
}
