package dev.modelsigning.beam.io;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Reads the files that options name (keys, certificates, trust roots, policies, model lists) from
 * wherever they are: a local path, {@code file://}, {@code gs://} or {@code s3://}, through Beam
 * {@link FileSystems}. Errors name the option and the location, and every read is capped, so a
 * wrong path can never make a worker read a model shard into memory.
 *
 * <p>A failed read is the user's input only when the location is: a missing file or object ({@link
 * MissingFileException}), denied access (HTTP 401/403) or a request the store refuses as malformed
 * (another non-retryable 4xx), and any error reading a local file; those are {@link
 * InvalidInputException}s (exit 2). A store that is unavailable or throttles (5xx, 408, 429, or an
 * error its client marks retryable), or a connection lost on the way, is a {@link
 * ModelSigningException} (exit 1): the same command may succeed when run again. Messages name the
 * location and the HTTP status.
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
    } catch (IOException | RuntimeException e) {
      throw failure(where, e, ModelLocation.hasScheme(resource.toString()));
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
        throw new MissingFileException(where + " does not exist");
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
      throw failure(where, e, true);
    }
  }

  /**
   * What a failed read means: the user's input (a missing or forbidden file, a request the store
   * refuses as malformed, a local file that cannot be read, a client that cannot be set up) or a
   * storage failure worth retrying (an error status the store may not answer next time, a retryable
   * client error, a lost connection).
   *
   * @param remote whether the location is in an object store (anything but a local file)
   */
  static ModelSigningException failure(String where, Throwable e, boolean remote) {
    int status = 0; // the HTTP status the store answered, 0 when none is known
    boolean retryable = false;
    String detail = message(e);
    boolean fromClient = false; // a storage client classified the error
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StorageException s) {
        status = s.getCode();
        retryable = s.isRetryable();
        fromClient = true;
        break;
      }
      if (t instanceof SdkServiceException s) {
        status = s.statusCode();
        retryable = s.retryable() || s.isThrottlingException();
        detail = awsDetail(s);
        fromClient = true;
        break;
      }
      if (t instanceof SdkClientException c) {
        // No answer: a lost connection (an I/O cause) is worth retrying, missing credentials not.
        retryable = c.retryable() || hasIoCause(c);
        fromClient = true;
        break;
      }
      if (t instanceof FileNotFoundException || t instanceof NoSuchFileException) {
        return new MissingFileException(where + " does not exist", e);
      }
      if (t instanceof AccessDeniedException) {
        return new InvalidInputException(where + " cannot be read: access denied", e);
      }
    }
    if (status == 404) {
      return new MissingFileException(where + " does not exist (HTTP 404)", e);
    }
    boolean transientFailure =
        remote
            && (retryable
                || status >= 500
                || status == 408
                || status == 429
                || (!fromClient && hasIoCause(e)));
    String code = status > 0 ? "HTTP " + status : null;
    if (!transientFailure) {
      return new InvalidInputException(
          where + " cannot be read" + (code != null ? " (" + code + ")" : "") + ": " + detail, e);
    }
    return new ModelSigningException(
        where
            + " cannot be read ("
            + (code != null ? code : "no answer from the store")
            + ", retryable): "
            + detail,
        e);
  }

  /** S3's error code and message; an answer to HEAD has neither (its message starts "null"). */
  private static String awsDetail(SdkServiceException e) {
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      AwsErrorDetails d = a.awsErrorDetails();
      String text =
          Stream.of(d.errorCode(), d.errorMessage())
              .filter(t -> t != null && !t.isBlank())
              .collect(Collectors.joining(": "));
      if (!text.isEmpty()) {
        return text;
      }
    }
    return "no error details (" + e.getClass().getSimpleName() + ")";
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
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
      throw new MissingFileException(where + " does not exist");
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
