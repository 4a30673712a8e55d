package dev.modelsigning.beam.io;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.SignatureExistsException;

/**
 * Publishes bundles to Google Cloud Storage with preconditions instead of check-then-write: a new
 * signature is created only if no object exists ({@code ifGenerationMatch=0}), so of two concurrent
 * signers exactly one wins; an overwrite replaces exactly the generation it saw. Each write is a
 * single-request upload, so the object appears whole or not at all.
 */
public final class GcsSignatureStore {
  private final Storage storage;

  public GcsSignatureStore(Storage storage) {
    this.storage = storage;
  }

  /** The store over the pipeline's client ({@link GcsClients}). */
  static GcsSignatureStore shared() {
    return new GcsSignatureStore(GcsClients.storage());
  }

  public void write(String location, byte[] bundle, boolean overwrite) {
    BlobId id = GcsClients.blobId(location);
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
}
