package dev.modelsigning.core.signing;

import dev.modelsigning.core.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * PEM text (a key or certificates) and where it came from, for error messages. Keys and
 * certificates reach this library as files on a local disk, as objects read from a bucket, or as
 * bytes shipped to a worker; all of them end up here.
 *
 * @param text the file's content; ISO-8859-1 decoded, so a binary (DER) file yields "no PEM block"
 *     rather than a charset error
 * @param source a description of where it came from, e.g. a path or {@code --publicKey
 *     's3://keys/pub.pem'}
 */
public record Pem(String text, String source) {
  /** Key and certificate files are small; anything larger is not one. */
  public static final int MAX_BYTES = 1 << 20;

  private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

  public static Pem of(byte[] bytes, String source) {
    if (bytes.length > MAX_BYTES) {
      throw new InvalidInputException(
          source + " is " + bytes.length + " bytes: too large to be a PEM file");
    }
    return new Pem(new String(bytes, StandardCharsets.ISO_8859_1), source);
  }

  /**
   * @param what "private key", "certificate", ... for messages
   */
  public static Pem read(Path file, String what) {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new InvalidInputException(
            what + " file '" + file + "' is " + size + " bytes: too large to be a PEM file");
      }
      return new Pem(
          new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1), file.toString());
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(what + " file '" + file + "' does not exist", e);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot read " + what + " file '" + file + "': " + e.getMessage(), e);
    }
  }

  /**
   * The one PEM writer: {@code -----BEGIN <type>-----\n}, base64 at 64 columns with {@code \n} line
   * ends, {@code -----END <type>-----\n}. That is the exact layout Go's encoding/pem and Python
   * {@code cryptography} write, which matters where PEM text is hashed or compared as bytes (the
   * {@code publicKey.hint}, Rekor's verifier field).
   */
  public static String encode(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + PEM_BASE64.encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** Never the text: it may be a private key. */
  @Override
  public String toString() {
    return "Pem[" + source + "]";
  }
}
