package dev.modelsigning.core.format;

import dev.modelsigning.core.VerificationException;

/**
 * A shard resource name {@code path:start:end}, parsed from the right because paths may contain
 * colons.
 */
public record ShardName(String path, long start, long end) {
  public static ShardName parse(String name) {
    int second = name.lastIndexOf(':');
    int first = second <= 0 ? -1 : name.lastIndexOf(':', second - 1);
    if (first <= 0) {
      throw new VerificationException("shard resource '" + name + "' is not path:start:end");
    }
    if (!isCanonicalDecimal(name.substring(first + 1, second))
        || !isCanonicalDecimal(name.substring(second + 1))) {
      throw new VerificationException(
          "shard resource '" + name + "' is not path:start:end with plain decimal offsets");
    }
    try {
      long start = Long.parseLong(name.substring(first + 1, second));
      long end = Long.parseLong(name.substring(second + 1));
      if (start < 0 || end <= start) {
        throw new VerificationException("shard resource '" + name + "' has an empty range");
      }
      return new ShardName(name.substring(0, first), start, end);
    } catch (NumberFormatException e) {
      throw new VerificationException("shard resource '" + name + "' is not path:start:end", e);
    }
  }

  /** Digits only, no sign, no leading zero: the one spelling model_signing writes. */
  private static boolean isCanonicalDecimal(String s) {
    if (s.isEmpty() || s.length() > 19 || (s.length() > 1 && s.charAt(0) == '0')) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
