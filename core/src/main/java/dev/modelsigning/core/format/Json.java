package dev.modelsigning.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.modelsigning.core.VerificationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The one JSON configuration for everything this library reads and writes: bundles and statements,
 * and also what it exchanges with Fulcio, Rekor, timestamp authorities and OIDC providers, trust
 * roots and signing configs. Duplicate keys are an error (two parsers could pick different values:
 * a JWT with two {@code sub} claims, a log entry with two bodies), nesting and sizes are bounded,
 * trailing content is refused and output is ASCII. No JSON this library handles needs anything
 * laxer, so there is no second configuration: use {@link #MAPPER}, never a new {@code
 * ObjectMapper}.
 */
public final class Json {
  /** Largest bundle or statement accepted: far above any real manifest, far below a heap. */
  public static final int MAX_DOCUMENT_BYTES = 64 << 20;

  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(64)
                          .maxStringLength(MAX_DOCUMENT_BYTES)
                          .maxNumberLength(64)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** Parses a JSON document; any problem is a {@link VerificationException} naming {@code what}. */
  public static JsonNode parse(byte[] bytes, String what) {
    if (bytes.length == 0) {
      throw new VerificationException(what + " is empty");
    }
    if (bytes.length > MAX_DOCUMENT_BYTES) {
      throw new VerificationException(
          what + " is " + bytes.length + " bytes, over the " + MAX_DOCUMENT_BYTES + " byte limit");
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new VerificationException(what + " is empty");
      }
      return node;
    } catch (IOException e) {
      throw new VerificationException(what + " is not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /** Compact UTF-8 (in fact ASCII) bytes of a tree, in the tree's key order. */
  public static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      // Only a broken serializer fails on a tree of plain nodes: not an input problem.
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #write} as a string. */
  public static String writeString(JsonNode node) {
    return new String(write(node), StandardCharsets.UTF_8);
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
