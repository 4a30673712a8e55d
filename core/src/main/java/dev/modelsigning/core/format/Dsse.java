package dev.modelsigning.core.format;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** DSSE v1 pre-authentication encoding: what is actually signed. */
public final class Dsse {
  private Dsse() {}

  /**
   * {@code "DSSEv1" SP len(type) SP type SP len(body) SP body}, lengths in bytes (not characters: a
   * payload with non-ASCII would otherwise sign the wrong length).
   */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /**
   * What model_signing v0.2 signed instead: {@code "DSSEV1 <len(type)> <type> <len(body)> "}
   * followed by Python's {@code repr()} of the body bytes ({@code b'{\n "_type": ...}'}), because
   * it formatted a {@code bytes} value into a {@code str}. Note {@code DSSEV1} (upper-case V): no
   * byte string is both this and a {@link #pae} encoding, so a signature over one can never be
   * taken for a signature over the other. model_signing 1.x still verifies it; so do we, for v0.2's
   * predicate only.
   */
  public static byte[] legacyV02Pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    String head = "DSSEV1 " + type.length + " " + payloadType + " " + payload.length + " ";
    return (head + pythonBytesRepr(payload)).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * CPython's {@code repr(bytes)}: {@code b'...'}, or {@code b"..."} when the bytes hold a single
   * quote and no double quote; the quote and backslash escaped, {@code \t \n \r} by name, other
   * bytes outside printable ASCII as {@code \xNN} (lower-case hex).
   */
  static String pythonBytesRepr(byte[] bytes) {
    boolean single = false;
    boolean dbl = false;
    for (byte b : bytes) {
      single |= b == '\'';
      dbl |= b == '"';
    }
    char quote = single && !dbl ? '"' : '\'';
    StringBuilder sb = new StringBuilder(bytes.length + 3).append('b').append(quote);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c == quote || c == '\\') {
        sb.append('\\').append((char) c);
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c < 0x20 || c >= 0x7f) {
        sb.append(String.format("\\x%02x", c));
      } else {
        sb.append((char) c);
      }
    }
    return sb.append(quote).toString();
  }
}
