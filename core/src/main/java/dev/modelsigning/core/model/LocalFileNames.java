package dev.modelsigning.core.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * File names on a local disk that cannot become resource names. A Linux file name is any bytes;
 * Java decodes it with {@code sun.jnu.encoding} (UTF-8 here) and replaces what is not valid UTF-8
 * with U+FFFD, so such a name has no lossless text form: the manifest could not record it, and the
 * decoded string no longer opens the file. OMS v1.0 (6.1.2, rule 7) says a signer must reject it.
 */
final class LocalFileNames {
  private LocalFileNames() {}

  /**
   * Whether {@code relative} (as the walk decoded it) names exactly {@code file}: re-encoding the
   * text must give back the bytes the directory holds.
   */
  static boolean isLossless(Path root, Path file, String relative) {
    return root.resolve(relative).equals(file);
  }

  /**
   * {@code file}'s path below {@code root} for messages: valid UTF-8 as text, every other byte (and
   * control characters) as {@code \xNN}. The raw bytes come from the file URI, which the JDK builds
   * from them.
   */
  static String escaped(Path root, Path file) {
    byte[] prefix = uriPathBytes(root);
    if (prefix[prefix.length - 1] != '/') {
      prefix = Arrays.copyOf(prefix, prefix.length + 1);
      prefix[prefix.length - 1] = '/';
    }
    byte[] fileBytes = uriPathBytes(file);
    boolean under =
        fileBytes.length > prefix.length
            && Arrays.equals(fileBytes, 0, prefix.length, prefix, 0, prefix.length);
    int skip = under ? prefix.length : 0; // not below the root: show the whole path
    ByteBuffer in = ByteBuffer.wrap(fileBytes, skip, fileBytes.length - skip);
    return decodeEscapingInvalid(in);
  }

  private static byte[] uriPathBytes(Path p) {
    String raw = p.toAbsolutePath().toUri().getRawPath();
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c); // the JDK escapes every non-ASCII byte, so c is ASCII here
      }
    }
    byte[] bytes = out.toByteArray();
    int n = bytes.length;
    while (n > 1 && bytes[n - 1] == '/') {
      n--; // a directory's URI ends with '/'
    }
    return n == bytes.length ? bytes : Arrays.copyOf(bytes, n);
  }

  private static String decodeEscapingInvalid(ByteBuffer in) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
    StringBuilder sb = new StringBuilder();
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      out.flip();
      while (out.hasRemaining()) {
        char c = out.get();
        if (c < 0x20 || c == 0x7f) {
          sb.append(String.format("\\x%02x", (int) c));
        } else {
          sb.append(c);
        }
      }
      out.clear();
      if (r.isError()) {
        for (int i = 0; i < r.length(); i++) {
          sb.append(String.format("\\x%02x", in.get() & 0xff));
        }
      } else if (r.isUnderflow()) {
        return sb.toString();
      }
    }
  }
}
