package dev.modelsigning.beam.io;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * google-cloud-nio's in-process fake {@link Storage} has no object generations: {@code create}
 * leaves the generation null, and {@code reader(BlobId)} serves the current bytes whatever
 * generation the id names. This wrapper gives it the two GCS behaviours the pinned reads rely on:
 * every {@code create(BlobInfo, byte[], ...)} writes a new, higher generation, and reading a
 * generation that is not (or no longer) the current one fails with a 404 {@link StorageException},
 * checked on every {@code read} as GCS would when the old generation is gone. Everything else goes
 * to the fake as is.
 */
final class GenerationStorage {
  private GenerationStorage() {}

  static Storage over(Storage fake) {
    AtomicLong generations = new AtomicLong(1_000);
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              if (method.getName().equals("create")
                  && args != null
                  && args.length == 3
                  && args[0] instanceof BlobInfo info
                  && args[1] instanceof byte[]) {
                BlobId id = info.getBlobId();
                BlobId next =
                    BlobId.of(id.getBucket(), id.getName(), generations.incrementAndGet());
                args[0] = info.toBuilder().setBlobId(next).build();
              }
              if (method.getName().equals("reader")
                  && args != null
                  && args[0] instanceof BlobId id
                  && id.getGeneration() != null) {
                BlobId current = BlobId.of(id.getBucket(), id.getName());
                ReadChannel reader = fake.reader(current);
                return pinned(fake, id, reader);
              }
              return invoke(method, fake, args);
            });
  }

  /** A reader that answers 404 once {@code id}'s generation is no longer the object's current. */
  private static ReadChannel pinned(Storage fake, BlobId id, ReadChannel reader) {
    ReadChannel[] delegate = {reader};
    return (ReadChannel)
        Proxy.newProxyInstance(
            ReadChannel.class.getClassLoader(),
            new Class<?>[] {ReadChannel.class},
            (proxy, method, args) -> {
              if (method.getName().equals("read")) {
                Blob now = fake.get(BlobId.of(id.getBucket(), id.getName()));
                if (now == null || !id.getGeneration().equals(now.getGeneration())) {
                  throw new StorageException(
                      404, "No such object: " + id.getBucket() + "/" + id.getName());
                }
              }
              Object result = invoke(method, delegate[0], args);
              if (method.getName().equals("limit") && args != null && args.length == 1) {
                delegate[0] = (ReadChannel) result; // limit may hand back a new instance
                return proxy;
              }
              return result;
            });
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
