package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsigning.core.InvalidInputException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads a Sigstore {@code signing_config.json}. v0.2 lists services with {@code majorApiVersion}
 * and {@code validFor}; we pick the first currently valid one of each kind that this client speaks
 * (Rekor v1 only). v0.1 has plain URL strings.
 */
final class SigningConfigFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String path;
  private final JsonNode root;

  private SigningConfigFile(String path, JsonNode root) {
    this.path = path;
    this.root = root;
  }

  static SigningConfigFile read(Path path) {
    try {
      return parse(Files.readAllBytes(path), path.toString());
    } catch (IOException e) {
      throw new InvalidInputException(
          "could not read signing config " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param source where the bytes came from, for messages
   */
  static SigningConfigFile parse(byte[] json, String source) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !root.isObject()) {
        throw new InvalidInputException("signing config " + source + " is not a JSON object");
      }
      // A ClientTrustConfig wraps the signing config; accept that too.
      if (root.has("signingConfig") && root.get("signingConfig").isObject()) {
        root = root.get("signingConfig");
      }
      return new SigningConfigFile(source, root);
    } catch (IOException e) {
      throw new InvalidInputException(
          "could not read signing config " + source + ": " + e.getMessage(), e);
    }
  }

  SigstoreInstance toInstance(Optional<Path> trustedRoot) {
    URI fulcio =
        pick("caUrls", "caUrl", -1).orElseThrow(() -> missing("a certificate authority (caUrls)"));
    URI rekor =
        pick("rekorTlogUrls", null, 1)
            .or(() -> pick("tlogUrls", null, 1))
            .orElseThrow(() -> missing("a Rekor v1 transparency log (rekorTlogUrls)"));
    Optional<URI> tsa = pick("tsaUrls", null, 1);
    return new SigstoreInstance(fulcio, rekor, tsa, trustedRoot);
  }

  private InvalidInputException missing(String what) {
    return new InvalidInputException("signing config " + path + " names no " + what);
  }

  /** First usable service from a list (v0.2 objects or v0.1 strings), or a v0.1 single field. */
  private Optional<URI> pick(String listField, String singleField, int wantedMajorVersion) {
    Instant now = Instant.now();
    for (JsonNode service : root.path(listField)) {
      if (service.isTextual()) {
        return Optional.of(URI.create(service.asText()));
      }
      String url = service.path("url").asText("");
      if (url.isEmpty()) {
        continue;
      }
      int major = service.path("majorApiVersion").asInt(1);
      if (wantedMajorVersion > 0 && major != wantedMajorVersion) {
        continue;
      }
      if (!validNow(service.path("validFor"), now)) {
        continue;
      }
      return Optional.of(URI.create(url));
    }
    if (singleField != null && root.path(singleField).isTextual()) {
      return Optional.of(URI.create(root.get(singleField).asText()));
    }
    return Optional.empty();
  }

  private static boolean validNow(JsonNode validFor, Instant now) {
    if (validFor.isMissingNode()) {
      return true;
    }
    if (validFor.hasNonNull("start")
        && now.isBefore(Instant.parse(validFor.get("start").asText()))) {
      return false;
    }
    return !validFor.hasNonNull("end") || now.isBefore(Instant.parse(validFor.get("end").asText()));
  }
}
