package dev.modelsigning.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;

/**
 * RFC 8785 (JCS) for the JSON the loopback log signs: objects with sorted keys, no whitespace.
 * Sufficient here because every value is an ASCII string or an integer, where Jackson's output and
 * JCS agree.
 */
final class CanonicalJson {
  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private CanonicalJson() {}

  static byte[] encode(JsonNode node) {
    try {
      Object plain = SORTED.treeToValue(node, Object.class); // maps, so keys get sorted
      return SORTED.writeValueAsString(plain).getBytes(StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
