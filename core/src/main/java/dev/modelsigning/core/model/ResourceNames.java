package dev.modelsigning.core.model;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Ordering and safety rules for resource paths, shared by signing and verification. */
public final class ResourceNames {
  private ResourceNames() {}

  /**
   * Compares two strings by Unicode code point, as Python does. {@link String#compareTo} compares
   * UTF-16 units and puts characters above U+FFFF before U+E000..U+FFFF.
   */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * Orders paths component by component, so {@code tokenizer/vocab.txt} sorts before {@code
   * tokenizer.json} (model_signing sorts {@code pathlib} parts).
   */
  public static final Comparator<String> PATH_ORDER = ResourceNames::comparePaths;

  public static int comparePaths(String a, String b) {
    String[] pa = a.split("/", -1);
    String[] pb = b.split("/", -1);
    int n = Math.min(pa.length, pb.length);
    for (int k = 0; k < n; k++) {
      int c = compareCodePoints(pa[k], pb[k]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pa.length, pb.length);
  }

  /**
   * Returns null when {@code path} is a safe model-relative POSIX path, else why it is not. A
   * signed manifest naming {@code ../x} must never make the verifier read outside the model.
   */
  public static @Nullable String whyUnsafe(String path) {
    if (path.equals(".")) {
      return null;
    }
    if (path.isEmpty()) {
      return "empty path";
    }
    if (path.startsWith("/")) {
      return "absolute path";
    }
    for (int k = 0; k < path.length(); k++) {
      char c = path.charAt(k);
      if (c == '\\') {
        return "backslash in path";
      }
      if (c < 0x20 || c == 0x7f) {
        return "control character in path";
      }
      if (Character.isHighSurrogate(c)
          && k + 1 < path.length()
          && Character.isLowSurrogate(path.charAt(k + 1))) {
        k++; // a valid pair: one code point above U+FFFF
      } else if (Character.isSurrogate(c)) {
        // JSON can spell a lone surrogate (U+DC80..U+DCFF), as Python writes a file name that
        // is not valid UTF-8; no UTF-8 file name decodes to it (OMS v1.0 6.1.2 rule 7).
        return "lone surrogate in path: not valid Unicode, so not the name of any UTF-8 file";
      }
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty()) {
        return "empty path component";
      }
      if (part.equals(".") || part.equals("..")) {
        return "'" + part + "' path component";
      }
    }
    return null;
  }

  /**
   * Finds two different names that are equal under Unicode NFC normalization ({@code "caf\u00e9"}
   * and {@code "cafe\u0301"}), returning them in the order given, else null. Such names are
   * distinct files on Linux but one file on macOS (APFS/HFS+ normalize) and look identical to a
   * person reading a report, so a manifest holding both is refused: it cannot describe one model
   * unambiguously. A single name is never normalized: a file on disk whose name is the NFD form of
   * a signed NFC name is a different name, reported missing and extra.
   */
  public static String @Nullable [] nfcCollision(Iterable<String> names) {
    Map<String, String> seen = new HashMap<>();
    for (String name : names) {
      String key = Normalizer.normalize(name, Normalizer.Form.NFC);
      String earlier = seen.putIfAbsent(key, name);
      if (earlier != null && !earlier.equals(name)) {
        return new String[] {earlier, name};
      }
    }
    return null;
  }
}
