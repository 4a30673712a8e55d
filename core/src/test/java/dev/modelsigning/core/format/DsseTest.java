package dev.modelsigning.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DsseTest {
  @Test
  void lengthsAreByteLengths() {
    byte[] payload =
        "{\"name\":\"mod\u00e8le\"}".getBytes(StandardCharsets.UTF_8); // 17 chars, 18 bytes
    String pae =
        new String(Dsse.pae("application/vnd.in-toto+json", payload), StandardCharsets.UTF_8);
    assertEquals("DSSEv1 28 application/vnd.in-toto+json 18 {\"name\":\"mod\u00e8le\"}", pae);
  }

  /**
   * CPython's {@code repr(bytes)}, which model_signing v0.2 signed; expected values printed by
   * {@code python3 -c "print(repr(b'...'))"}.
   */
  @Test
  void pythonBytesReprMatchesCPython() {
    assertEquals("b\"it's\"", Dsse.pythonBytesRepr(ascii("it's")));
    assertEquals("b'a\\'\"'", Dsse.pythonBytesRepr(ascii("a'\"")));
    assertEquals(
        "b'\\x00\\x7f\\xff\\\\'", Dsse.pythonBytesRepr(new byte[] {0x00, 0x7f, (byte) 0xff, '\\'}));
    assertEquals("b'\\t\\n\\r x'", Dsse.pythonBytesRepr(ascii("\t\n\r x")));
    assertEquals("b'\"q\"'", Dsse.pythonBytesRepr(ascii("\"q\"")));
  }

  @Test
  void legacyV02PaeIsUpperCaseVAndThePythonLiteral() {
    byte[] payload = "{\n  \"_type\": \"x\"\n}".getBytes(StandardCharsets.UTF_8);
    String pae =
        new String(
            Dsse.legacyV02Pae("application/vnd.in-toto+json", payload), StandardCharsets.UTF_8);
    assertEquals("DSSEV1 28 application/vnd.in-toto+json 18 b'{\\n  \"_type\": \"x\"\\n}'", pae);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
