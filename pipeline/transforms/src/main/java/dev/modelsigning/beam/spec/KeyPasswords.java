package dev.modelsigning.beam.spec;

import dev.modelsigning.core.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a private key's password on the worker, from a file or an environment variable. */
final class KeyPasswords {
  private KeyPasswords() {}

  /** The password, or null when none was configured (an unencrypted key). */
  static char[] read(String passwordFile, String passwordEnv) {
    if (passwordFile != null && !passwordFile.isEmpty()) {
      try {
        String text = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8);
        return stripNewline(text).toCharArray();
      } catch (IOException e) {
        throw new InvalidInputException("cannot read password file '" + passwordFile + "'", e);
      }
    }
    if (passwordEnv != null && !passwordEnv.isEmpty()) {
      String value = System.getenv(passwordEnv);
      if (value == null) {
        throw new InvalidInputException(
            "environment variable '" + passwordEnv + "' (--privateKeyPasswordEnv) is not set");
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
