package dev.modelsigning.kms;

import dev.modelsigning.core.InvalidInputException;
import java.util.regex.Pattern;

/** A Cloud KMS key version name: the only kind of name Cloud KMS signs with. */
final class GcpKmsKeyName {
  private static final Pattern VERSION =
      Pattern.compile(
          "projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+/cryptoKeyVersions/[^/]+");
  private static final Pattern KEY =
      Pattern.compile("projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+/?");

  private GcpKmsKeyName() {}

  /** Whether {@code name} looks like a Cloud KMS resource name at all. */
  static boolean looksLike(String name) {
    return name.startsWith("projects/");
  }

  static String requireVersion(String name) {
    if (VERSION.matcher(name).matches()) {
      return name;
    }
    if (KEY.matcher(name).matches()) {
      throw new InvalidInputException(
          "Cloud KMS key '"
              + name
              + "' names a key, not a key version: Cloud KMS signs with a version, add"
              + " /cryptoKeyVersions/<n>");
    }
    throw new InvalidInputException(
        "Cloud KMS key '"
            + name
            + "' is not of the form projects/P/locations/L/keyRings/R/cryptoKeys/K"
            + "/cryptoKeyVersions/N");
  }
}
