package dev.modelsigning.core;

/**
 * Base of every error this library reports on purpose. Its message is written for the person who
 * runs the tool: it names the file, option or bundle field at fault, so callers print it without a
 * stack trace.
 */
public class ModelSigningException extends RuntimeException {
  public ModelSigningException(String message) {
    super(message);
  }

  public ModelSigningException(String message, Throwable cause) {
    super(message, cause);
  }
}
