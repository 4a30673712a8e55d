package dev.modelsigning.core.signing.pkcs11;

import dev.modelsigning.core.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where a token PIN comes from: a file or an environment variable, never an option value. The PIN
 * is read each time it is needed and the caller wipes it, so no long-lived object (a signer in a
 * pipeline graph, an exception, a log line) ever holds it; {@link #toString()} names the source
 * only.
 */
final class PinSource {
  /** A PIN file holds a line of text; anything larger is not one. */
  private static final int MAX_PIN_FILE_BYTES = 1024;

  private final String description;
  private final @Nullable Path file;
  private final @Nullable String variable;
  private final Function<String, String> environment;

  private PinSource(
      String description,
      @Nullable Path file,
      @Nullable String variable,
      Function<String, String> environment) {
    this.description = description;
    this.file = file;
    this.variable = variable;
    this.environment = environment;
  }

  /** No PIN: for tokens that need no login. */
  static PinSource none() {
    return new PinSource("no PIN", null, null, System::getenv);
  }

  /**
   * {@code file:/abs/path}, {@code file:///abs/path}, {@code /abs/path} (RFC 7512, as model_signing
   * reads it) or {@code env:NAME} (this tool's form for a PIN in the worker's environment).
   */
  static PinSource parse(String pinSource) {
    return parse(pinSource, System::getenv);
  }

  static PinSource parse(String pinSource, Function<String, String> environment) {
    if (pinSource.startsWith("env:")) {
      String name = pinSource.substring(4);
      if (name.isEmpty() || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new InvalidInputException(
            "pkcs11 URI: pin-source=env:NAME needs an environment variable name, got '"
                + pinSource
                + "'");
      }
      return new PinSource("environment variable " + name, null, name, environment);
    }
    String path = pinSource;
    if (path.startsWith("file:")) {
      path = path.substring(5);
      if (path.startsWith("//")) { // file://host/path: only the local host
        int slash = path.indexOf('/', 2);
        String host = slash < 0 ? path.substring(2) : path.substring(2, slash);
        if (!host.isEmpty() && !host.equals("localhost")) {
          throw new InvalidInputException(
              "pkcs11 URI: pin-source '" + pinSource + "' must be a local file");
        }
        path = slash < 0 ? "" : path.substring(slash);
      }
    } else if (pinSource.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      throw new InvalidInputException(
          "pkcs11 URI: pin-source '"
              + pinSource
              + "' is not supported; use file:/absolute/path or env:VARIABLE");
    }
    if (!path.startsWith("/")) {
      throw new InvalidInputException(
          "pkcs11 URI: pin-source file '" + pinSource + "' must be an absolute path");
    }
    return new PinSource("PIN file " + path, Path.of(path), null, environment);
  }

  boolean isNone() {
    return file == null && variable == null;
  }

  /** The PIN, or null for {@link #none()}. The caller wipes the array after use. */
  char @Nullable [] read() {
    if (variable != null) {
      String value = environment.apply(variable);
      if (value == null || value.isEmpty()) {
        throw new InvalidInputException(
            "the PKCS#11 PIN " + description + " is not set in this process's environment");
      }
      return value.toCharArray();
    }
    if (file != null) {
      return readFile(file);
    }
    return null;
  }

  private char[] readFile(Path file) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_PIN_FILE_BYTES) {
        throw new InvalidInputException(
            "the " + description + " is " + size + " bytes: too large to hold a PIN");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("the " + description + " does not exist");
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot read the " + description + ": " + e.getClass().getSimpleName());
    }
    try {
      // A file written with `echo` ends with a newline that is not part of the PIN.
      int length = bytes.length;
      if (length > 0 && bytes[length - 1] == '\n') {
        length--;
        if (length > 0 && bytes[length - 1] == '\r') {
          length--;
        }
      }
      if (length == 0) {
        throw new InvalidInputException("the " + description + " is empty");
      }
      CharsetDecoder utf8 =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      CharBuffer chars;
      try {
        chars = utf8.decode(ByteBuffer.wrap(bytes, 0, length));
      } catch (CharacterCodingException e) {
        throw new InvalidInputException("the " + description + " is not UTF-8 text");
      }
      char[] pin = new char[chars.remaining()];
      chars.get(pin);
      Arrays.fill(chars.array(), '\0');
      return pin;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
