package dev.modelsigning.beam.io;

import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.SignatureExistsException;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.local.LocalSignatureFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Reads and writes signature bundles. A write is all-or-nothing: readers see the old bundle or the
 * complete new one, never an empty or partial file. Without overwrite, an existing bundle is never
 * replaced.
 */
public final class SignatureStore {
  private SignatureStore() {}

  public static boolean isLocal(String location) {
    return !ModelLocation.hasScheme(location) || location.startsWith("file:");
  }

  public static byte[] read(String location) {
    requireReadableSize(location);
    byte[] bytes;
    try {
      bytes = RetryingReads.DEFAULT.read(location, () -> readAtMost(location));
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new InvalidInputException("signature '" + location + "' does not exist", e);
    } catch (IOException e) {
      throw new ModelSigningException(
          "cannot read signature '" + location + "': " + e.getMessage(), e);
    }
    if (bytes.length > Json.MAX_DOCUMENT_BYTES) {
      throw new ModelSigningException(
          "signature '" + location + "' is larger than " + Json.MAX_DOCUMENT_BYTES + " bytes");
    }
    return bytes;
  }

  private static byte[] readAtMost(String location) throws IOException {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(location, false)))) {
      return in.readNBytes(Json.MAX_DOCUMENT_BYTES + 1);
    }
  }

  /**
   * Refuses an oversized signature from its listed size, before reading a byte: a hostile 100 GB
   * "bundle" costs one metadata lookup, not a 64 MB buffer (the bounded read below stays as the
   * backstop for stores that report no size).
   */
  private static void requireReadableSize(String location) {
    long size;
    try {
      size = FileSystems.matchSingleFileSpec(location).sizeBytes();
    } catch (FileNotFoundException e) {
      throw new InvalidInputException("signature '" + location + "' does not exist", e);
    } catch (IOException | IllegalArgumentException e) {
      return; // let the read report it
    }
    if (size > Json.MAX_DOCUMENT_BYTES) {
      throw new ModelSigningException(
          "signature '"
              + location
              + "' is larger than "
              + Json.MAX_DOCUMENT_BYTES
              + " bytes ("
              + size
              + " bytes); it is not a signature bundle");
    }
  }

  public static boolean exists(String location) {
    try {
      FileSystems.matchSingleFileSpec(location);
      return true;
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new ModelSigningException("cannot check signature '" + location + "': " + e, e);
    }
  }

  /**
   * Publishes {@code bundle} at {@code location}: a local file by temp file and rename or hard
   * link, a GCS object with generation preconditions, an S3 object with conditional writes (both
   * over the clients {@code options} configure), any other store through Beam's {@code
   * FileSystems}.
   */
  public static void write(
      String location, byte[] bundle, boolean overwrite, PipelineOptions options) {
    try {
      if (isLocal(location)) {
        LocalSignatureFile.write(Path.of(location), bundle, overwrite);
      } else if (location.startsWith("gs://")) {
        GcsSignatureStore.shared().write(location, bundle, overwrite);
      } else if (location.startsWith("s3://")) {
        try (S3SignatureStore s3 = S3SignatureStore.of(options.as(S3Options.class))) {
          s3.write(location, bundle, overwrite);
        }
      } else {
        writeObject(location, bundle, overwrite);
      }
    } catch (IOException e) {
      throw new ModelSigningException(
          "cannot write signature '" + location + "': " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code path} (relative to a model root) is a temporary file this store writes while
   * publishing the signature at {@code signaturePath} (relative to the same root).
   */
  public static boolean isTempFileOf(String signaturePath, String path) {
    return LocalSignatureFile.isTempFileOf(signaturePath, path);
  }

  /**
   * Object stores publish an object only when its upload completes, so readers never see a torn
   * bundle. Without a conditional-create in Beam's FileSystems, no-clobber here is
   * check-then-write; GCS and S3 have their own stores with preconditions ({@link
   * GcsSignatureStore}, {@link S3SignatureStore}).
   */
  private static void writeObject(String location, byte[] bundle, boolean overwrite)
      throws IOException {
    if (!overwrite && exists(location)) {
      throw new SignatureExistsException(location);
    }
    // One owner closes the channel: Beam's S3 channel completes the upload on close and fails
    // if closed twice.
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(location, false), MimeTypes.BINARY))) {
      out.write(bundle);
    }
  }
}
