package dev.modelsigning.beam.io;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code gs://} objects through the Storage client pinned to the generation that was listed,
 * so a unit hashes exactly the listed bytes even if the object is overwritten meanwhile (GCS then
 * answers 404 for the old generation instead of serving the new content). Storage errors become the
 * {@link IOException}s {@link RetryingReads} understands: 404 {@link NoSuchFileException} and
 * 401/403 {@link AccessDeniedException} are final, anything else is retried.
 */
final class GcsObjectReader {
  private GcsObjectReader() {}

  /** {@link #open(Storage, String, long, long, long)} with the pipeline's client. */
  static ReadableByteChannel open(String location, long generation, long start, long length)
      throws IOException {
    return open(GcsClients.storage(), location, generation, start, length);
  }

  /** A channel over bytes {@code [start, start + length)} of exactly that generation. */
  static ReadableByteChannel open(
      Storage storage, String location, long generation, long start, long length)
      throws IOException {
    BlobId current = GcsClients.blobId(location);
    BlobId pinned = BlobId.of(current.getBucket(), current.getName(), generation);
    ReadChannel reader = storage.reader(pinned);
    try {
      reader.seek(start);
      // The end of the range goes into the request: one ranged GET, nothing read past the unit.
      reader = reader.limit(start + length);
    } catch (IOException | StorageException e) {
      reader.close();
      throw translate(location, generation, e);
    }
    return new Pinned(location, generation, reader);
  }

  /** {@link #current(Storage, String)} with the pipeline's client. */
  static Blob current(String location) throws IOException {
    return current(GcsClients.storage(), location);
  }

  /** The object as it is now (size, update time, generation), or null if there is none. */
  static Blob current(Storage storage, String location) throws IOException {
    try {
      return storage.get(
          GcsClients.blobId(location),
          Storage.BlobGetOption.fields(
              Storage.BlobField.SIZE, Storage.BlobField.UPDATED, Storage.BlobField.GENERATION));
    } catch (StorageException e) {
      throw translate(location, 0, e);
    }
  }

  private static IOException translate(String location, long generation, Exception e) {
    if (e instanceof IOException io && storageCause(e) == null) {
      return io;
    }
    StorageException s = storageCause(e);
    int code = s == null ? 0 : s.getCode();
    if (code == 404) {
      return new NoSuchFileException(
          location, null, "generation " + generation + " no longer exists");
    }
    if (s != null && (code == 401 || code == 403)) {
      return new AccessDeniedException(location, null, s.getMessage());
    }
    return new IOException("reading '" + location + "' failed: " + e.getMessage(), e);
  }

  /** The client surfaces HTTP errors as a StorageException, sometimes inside an IOException. */
  private static @Nullable StorageException storageCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StorageException s) {
        return s;
      }
    }
    return null;
  }

  private static final class Pinned implements ReadableByteChannel {
    private final String location;
    private final long generation;
    private final ReadChannel reader;

    Pinned(String location, long generation, ReadChannel reader) {
      this.location = location;
      this.generation = generation;
      this.reader = reader;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      try {
        return reader.read(dst);
      } catch (IOException | StorageException e) {
        throw translate(location, generation, e);
      }
    }

    @Override
    public boolean isOpen() {
      return reader.isOpen();
    }

    @Override
    public void close() {
      reader.close();
    }
  }
}
