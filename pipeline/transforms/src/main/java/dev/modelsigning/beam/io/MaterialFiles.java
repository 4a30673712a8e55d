package dev.modelsigning.beam.io;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.core.InvalidInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Reads the files that options name (keys, certificates, trust roots, policies, model lists) from
 * wherever they are: a local path, {@code file://}, {@code gs://} or {@code s3://}, through Beam
 * {@link FileSystems}. Errors name the option and the location, and every read is capped, so a
 * wrong path can never make a worker read a model shard into memory.
 */
public final class MaterialFiles {
  private MaterialFiles() {}

  /**
   * The location as workers must see it, fixed at launch: a relative local path means the
   * launcher's working directory, which no worker shares, so it becomes absolute now.
   */
  public static String resolve(String location) {
    String l = location.trim();
    if (l.isEmpty() || (ModelLocation.hasScheme(l) && !l.startsWith("file:"))) {
      return l;
    }
    if (l.startsWith("file:")) {
      return Path.of(java.net.URI.create(l)).toString();
    }
    return Path.of(l).toAbsolutePath().normalize().toString();
  }

  /**
   * Reads a whole file of at most {@code maxBytes}.
   *
   * @param option the option that named it, e.g. {@code --publicKey}
   */
  public static byte[] read(String option, String location, int maxBytes) {
    String where = option + " '" + location + "'";
    if (location.startsWith("gs://")) {
      return readGcs(where, location, maxBytes);
    }
    ResourceId resource;
    try {
      resource = FileSystems.matchNewResource(resolve(location), false);
    } catch (IllegalArgumentException e) {
      // No file system registered for the scheme (e.g. gs:// without the GCP extension).
      throw new InvalidInputException(where + " cannot be read here: " + e.getMessage(), e);
    }
    requireExists(where, resource);
    byte[] bytes;
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new MissingFileException(where + " does not exist", e);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(where + " cannot be read: " + message(e), e);
    }
    if (bytes.length > maxBytes) {
      throw new InvalidInputException(where + " is larger than " + maxBytes + " bytes");
    }
    return bytes;
  }

  /**
   * {@code gs://} through the Storage client the pipeline's other GCS operations use (with the
   * worker's application default credentials): one metadata call (existence and size, so an
   * oversized object is refused unread) and one read.
   */
  private static byte[] readGcs(String where, String location, int maxBytes) {
    Storage storage = GcsClients.storage();
    BlobId id = GcsClients.blobId(location);
    try {
      Blob blob = storage.get(id);
      if (blob == null) {
        throw new MissingFileException(where + " does not exist", null);
      }
      if (blob.getSize() != null && blob.getSize() > maxBytes) {
        throw new InvalidInputException(where + " is larger than " + maxBytes + " bytes");
      }
      byte[] bytes =
          storage.readAllBytes(BlobId.of(id.getBucket(), id.getName(), blob.getGeneration()));
      if (bytes.length > maxBytes) {
        throw new InvalidInputException(where + " is larger than " + maxBytes + " bytes");
      }
      return bytes;
    } catch (StorageException e) {
      throw new InvalidInputException(where + " cannot be read: " + message(e), e);
    }
  }

  /**
   * Object stores answer a missing object with their own exceptions (S3's NoSuchKeyException), so
   * existence is asked first, the way every file system answers alike.
   */
  private static void requireExists(String where, ResourceId resource) {
    MatchResult match;
    try {
      match = FileSystems.match(resource.toString(), EmptyMatchTreatment.ALLOW);
    } catch (IOException | RuntimeException e) {
      return; // the read below reports what is wrong
    }
    if (match.status() == MatchResult.Status.NOT_FOUND
        || (match.status() == MatchResult.Status.OK && matchesNothing(match))) {
      throw new MissingFileException(where + " does not exist", null);
    }
  }

  private static boolean matchesNothing(MatchResult match) {
    try {
      return match.metadata().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
