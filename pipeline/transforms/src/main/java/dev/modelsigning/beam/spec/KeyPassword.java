package dev.modelsigning.beam.spec;

import dev.modelsigning.core.InvalidInputException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Where an encrypted private key's password is: a file or an environment variable, both of the
 * worker that signs; never a value in the pipeline graph.
 *
 * @param file the password file, or null
 * @param environmentVariable the variable's name, or null
 */
public record KeyPassword(@Nullable SecretFile file, @Nullable String environmentVariable)
    implements Serializable {
  public static KeyPassword none() {
    return new KeyPassword(null, null);
  }

  public static KeyPassword inFile(SecretFile file) {
    return new KeyPassword(file, null);
  }

  public static KeyPassword inEnvironment(String variable) {
    return new KeyPassword(null, variable);
  }

  /** The password, read now on the worker, or null for an unencrypted key. */
  public char @Nullable [] read() {
    if (file != null) {
      return stripNewline(new String(file.read(), StandardCharsets.UTF_8)).toCharArray();
    }
    if (environmentVariable != null) {
      String value = System.getenv(environmentVariable);
      if (value == null) {
        throw new InvalidInputException(
            "environment variable '"
                + environmentVariable
                + "' (--privateKeyPasswordEnv) is not set on this worker");
      }
      return value.toCharArray();
    }
    return null;
  }

  /** Password files usually end with a newline that is not part of the password. */
  private static String stripNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
