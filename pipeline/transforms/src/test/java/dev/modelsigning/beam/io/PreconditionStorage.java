package dev.modelsigning.beam.io;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Objects;

/**
 * google-cloud-nio's in-process fake {@link Storage} refuses every precondition option
 * (UnsupportedOperationException). This wrapper gives it GCS's documented semantics for the two
 * preconditions the signature store uses on {@code create(BlobInfo, byte[], BlobTargetOption...)}:
 * {@code doesNotExist()} (ifGenerationMatch=0) and {@code generationMatch()} against the blob's
 * generation, answering HTTP 412 when they do not hold. Everything else goes to the fake as is.
 */
final class PreconditionStorage {
  private PreconditionStorage() {}

  static Storage over(Storage fake) {
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              if (method.getName().equals("create")
                  && args != null
                  && args.length == 3
                  && args[1] instanceof byte[] bytes
                  && args[2] instanceof Storage.BlobTargetOption[] options
                  && options.length > 0) {
                return createWithPreconditions(fake, (BlobInfo) args[0], bytes, options);
              }
              try {
                return method.invoke(fake, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static Blob createWithPreconditions(
      Storage fake, BlobInfo info, byte[] bytes, Storage.BlobTargetOption[] options) {
    BlobId id = info.getBlobId();
    Blob current = fake.get(BlobId.of(id.getBucket(), id.getName()));
    for (Storage.BlobTargetOption o : options) {
      if (o.equals(Storage.BlobTargetOption.doesNotExist()) && current != null) {
        throw new StorageException(412, "Precondition Failed");
      }
      if (o.equals(Storage.BlobTargetOption.generationMatch())
          && (current == null || !Objects.equals(current.getGeneration(), id.getGeneration()))) {
        throw new StorageException(412, "Precondition Failed");
      }
    }
    BlobInfo plain = info.toBuilder().setBlobId(BlobId.of(id.getBucket(), id.getName())).build();
    return fake.create(plain, Arrays.copyOf(bytes, bytes.length));
  }
}
