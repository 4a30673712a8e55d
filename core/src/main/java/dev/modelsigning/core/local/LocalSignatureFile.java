package dev.modelsigning.core.local;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.SignatureExistsException;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A signature bundle on a local disk. A write is all-or-nothing: readers see the old bundle or the
 * complete new one, never an empty or partial file; without overwrite, an existing bundle is never
 * replaced, even by a concurrent signer.
 */
public final class LocalSignatureFile {
  private static final Pattern TEMP_NAME =
      Pattern.compile("\\.(.+)\\.tmp-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private LocalSignatureFile() {}

  /**
   * Writes a temporary file beside the target, flushes it to disk, then publishes it in one step:
   * rename to replace, or hard link to create only if absent (the kernel refuses atomically when
   * the name exists, so of two concurrent signers only one publishes).
   *
   * @throws SignatureExistsException when the signature exists and {@code overwrite} is false
   */
  public static void write(Path target, byte[] bundle, boolean overwrite) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InvalidInputException("directory for signature '" + absolute + "' does not exist");
    }
    Path tmp = dir.resolve(tempName(absolute.getFileName().toString()));
    try {
      try {
        try (FileChannel ch =
            FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.wrap(bundle));
          ch.force(true);
        }
        publish(tmp, absolute, overwrite);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new ModelSigningException(
          "cannot write signature '" + absolute + "': " + e.getMessage(), e);
    }
  }

  private static void publish(Path tmp, Path target, boolean overwrite) throws IOException {
    if (overwrite) {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try {
      Files.createLink(target, tmp);
    } catch (FileAlreadyExistsException e) {
      throw new SignatureExistsException(target.toString());
    } catch (UnsupportedOperationException e) {
      if (Files.exists(target)) {
        throw new SignatureExistsException(target.toString());
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /**
   * Reads a bundle of at most {@link Json#MAX_DOCUMENT_BYTES}; a larger file is refused by its size
   * before a byte is read.
   */
  public static byte[] read(Path file) {
    try {
      long size = Files.size(file);
      if (size > Json.MAX_DOCUMENT_BYTES) {
        throw new ModelSigningException(
            "signature '"
                + file
                + "' is larger than "
                + Json.MAX_DOCUMENT_BYTES
                + " bytes ("
                + size
                + " bytes); it is not a signature bundle");
      }
      try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ)) {
        return in.readNBytes(Json.MAX_DOCUMENT_BYTES);
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("signature '" + file + "' does not exist", e);
    } catch (IOException e) {
      throw new ModelSigningException("cannot read signature '" + file + "': " + e.getMessage(), e);
    }
  }

  private static String tempName(String signatureName) {
    return "." + signatureName + ".tmp-" + UUID.randomUUID();
  }

  /**
   * The signature's path relative to the model root, with {@code /} separators, when it lies inside
   * the model (where listing must leave it and its temporary files out); else null.
   */
  public static @Nullable String pathInModel(Path root, Path signature) {
    return signature.startsWith(root) && !signature.equals(root)
        ? root.relativize(signature).toString().replace('\\', '/')
        : null;
  }

  /**
   * Whether {@code path} (relative to a model root) is a temporary file written while publishing
   * the signature at {@code signaturePath} (relative to the same root).
   */
  public static boolean isTempFileOf(String signaturePath, String path) {
    int slash = signaturePath.lastIndexOf('/');
    String dir = signaturePath.substring(0, slash + 1);
    if (!path.startsWith(dir) || path.indexOf('/', dir.length()) >= 0) {
      return false;
    }
    Matcher m = TEMP_NAME.matcher(path.substring(dir.length()));
    return m.matches() && m.group(1).equals(signaturePath.substring(slash + 1));
  }
}
