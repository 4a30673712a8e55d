package dev.modelsigning.beam.io;

import dev.modelsigning.core.InvalidInputException;

/** A file an option names does not exist (a usage error: exit 2). */
public final class MissingFileException extends InvalidInputException {
  public MissingFileException(String message) {
    super(message);
  }

  public MissingFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
