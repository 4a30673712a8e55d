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
}
