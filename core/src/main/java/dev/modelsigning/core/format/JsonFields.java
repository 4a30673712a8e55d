package dev.modelsigning.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.VerificationException;
import java.util.Base64;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/** Typed, fail-closed access to fields of parsed JSON, with errors that name the field. */
final class JsonFields {
  private JsonFields() {}

  static JsonNode object(JsonNode parent, String field, String where) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw new VerificationException(where + " has no '" + field + "'");
    }
    if (!n.isObject()) {
      throw new VerificationException(where + "." + field + " must be an object");
    }
    return n;
  }

  static JsonNode array(JsonNode parent, String field, String where) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw new VerificationException(where + " has no '" + field + "'");
    }
    if (!n.isArray()) {
      throw new VerificationException(where + "." + field + " must be an array");
    }
    return n;
  }

  static String text(JsonNode parent, String field, String where) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw new VerificationException(where + " has no '" + field + "'");
    }
    if (!n.isTextual()) {
      throw new VerificationException(where + "." + field + " must be a string");
    }
    return n.textValue();
  }

  static @Nullable String optionalText(JsonNode parent, String field, String where) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new VerificationException(where + "." + field + " must be a string");
    }
    return n.textValue();
  }

  static byte[] base64(JsonNode parent, String field, String where) {
    String value = text(parent, field, where);
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(where + "." + field + " is not valid base64", e);
    }
  }

  static byte[] hex(String value, String where) {
    if (value.length() % 2 != 0) {
      throw new VerificationException(where + " is not a hex digest");
    }
    try {
      return HexFormat.of().parseHex(value);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(where + " is not a hex digest", e);
    }
  }
}
