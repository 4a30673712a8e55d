package dev.modelsigning.kms;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** CRC32C, the checksum Cloud KMS puts on what it receives and returns. */
final class Crc32c {
  private Crc32c() {}

  static long of(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return crc.getValue();
  }

  static long of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }
}
