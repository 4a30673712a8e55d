package dev.modelsigning.core;

/** Bad input from the user: a missing path, an empty model, an unreadable key. CLI exit code 2. */
public class InvalidInputException extends ModelSigningException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
