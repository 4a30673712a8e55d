package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Sigstore {@code signing_config.json} and picks the services to sign with.
 *
 * <p>v0.2 lists services with {@code majorApiVersion}, {@code validFor} and {@code operator}. For
 * each kind we follow the spec's selection rules: keep services whose API version this client
 * speaks (Fulcio and TSA 1; Rekor 1 and 2) and that are valid now (both ends inclusive); keep only
 * the highest API version among them; newest validity start first; at most one per operator; then
 * apply the kind's selector ({@code ANY}, {@code EXACT} with a count, {@code ALL}). This signer
 * writes one log entry and asks one timestamp authority, so a selector that demands more than one
 * service is refused rather than silently narrowed. v0.1 has plain URL strings (Rekor v1).
 */
final class SigningConfigFile {
  private static final Set<Integer> CA_VERSIONS = Set.of(1);
  private static final Set<Integer> REKOR_VERSIONS = Set.of(1, 2);
  private static final Set<Integer> TSA_VERSIONS = Set.of(1);

  /** One listed service. */
  record Service(
      URI url, int majorApiVersion, Instant start, Optional<Instant> end, String operator) {
    boolean validAt(Instant now) {
      return !now.isBefore(start) && end.map(e -> !now.isAfter(e)).orElse(true);
    }
  }

  private final String path;
  private final JsonNode root;
  private final Clock clock;

  private SigningConfigFile(String path, JsonNode root, Clock clock) {
    this.path = path;
    this.root = root;
    this.clock = clock;
  }

  static SigningConfigFile read(Path path) {
    return read(path, Clock.systemUTC());
  }

  static SigningConfigFile read(Path path, Clock clock) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new InvalidInputException(
          "could not read signing config " + path + ": " + e.getMessage(), e);
    }
    return parse(bytes, path.toString(), clock);
  }

  /**
   * @param source where the bytes came from, for messages
   */
  static SigningConfigFile parse(byte[] bytes, String source, Clock clock) {
    JsonNode root;
    try {
      root = Json.parse(bytes, "signing config " + source);
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          Objects.toString(e.getMessage(), "signing config " + source + " is not valid JSON"), e);
    }
    if (!root.isObject()) {
      throw new InvalidInputException("signing config " + source + " is not a JSON object");
    }
    // A ClientTrustConfig wraps the signing config; accept that too.
    if (root.has("signingConfig") && root.get("signingConfig").isObject()) {
      root = root.get("signingConfig");
    }
    return new SigningConfigFile(source, root, clock);
  }

  SigstoreInstance toInstance(Optional<Path> trustedRoot) {
    Service fulcio =
        select("caUrls", "caUrl", CA_VERSIONS, null)
            .orElseThrow(() -> missing("a usable certificate authority (caUrls)"));
    Service rekor =
        select("rekorTlogUrls", null, REKOR_VERSIONS, "rekorTlogConfig")
            .or(() -> select("tlogUrls", null, REKOR_VERSIONS, null))
            .orElseThrow(
                () ->
                    missing("a usable Rekor transparency log, API version 1 or 2 (rekorTlogUrls)"));
    Optional<URI> tsa = select("tsaUrls", null, TSA_VERSIONS, "tsaConfig").map(Service::url);
    return new SigstoreInstance(
        fulcio.url(), rekor.url(), rekor.majorApiVersion(), tsa, trustedRoot);
  }

  private InvalidInputException missing(String what) {
    return new InvalidInputException(
        "signing config " + path + " names no " + what + " valid now (" + clock.instant() + ")");
  }

  private Optional<Service> select(
      String listField,
      @Nullable String singleField,
      Set<Integer> versions,
      @Nullable String configField) {
    JsonNode list = root.path(listField);
    List<Service> services = new ArrayList<>();
    for (JsonNode node : list) {
      if (node.isTextual()) {
        // v0.1: a plain URL, API version 1, always valid
        return Optional.of(
            new Service(uri(node.asText(), listField), 1, Instant.MIN, Optional.empty(), ""));
      }
      service(node, listField).ifPresent(services::add);
    }
    if (services.isEmpty()) {
      if (singleField != null && root.path(singleField).isTextual()) {
        return Optional.of(
            new Service(
                uri(root.get(singleField).asText(), singleField),
                1,
                Instant.MIN,
                Optional.empty(),
                ""));
      }
      return Optional.empty();
    }
    Instant now = clock.instant();
    List<Service> usable =
        services.stream()
            .filter(s -> versions.contains(s.majorApiVersion()) && s.validAt(now))
            .toList();
    if (usable.isEmpty()) {
      return Optional.empty();
    }
    int highest = usable.stream().mapToInt(Service::majorApiVersion).max().orElseThrow();
    Map<String, Service> perOperator = new LinkedHashMap<>();
    usable.stream()
        .filter(s -> s.majorApiVersion() == highest)
        .sorted(Comparator.comparing(Service::start).reversed())
        .forEach(s -> perOperator.putIfAbsent(s.operator(), s));
    List<Service> selected = List.copyOf(perOperator.values());
    int wanted = wanted(configField, selected.size(), listField);
    if (selected.size() < wanted) {
      throw new InvalidInputException(
          "signing config "
              + path
              + " asks for "
              + wanted
              + " services from "
              + listField
              + " but only "
              + selected.size()
              + " (one per operator) are valid now");
    }
    return Optional.of(selected.get(0));
  }

  /** How many services the selector demands; more than one is refused. */
  private int wanted(@Nullable String configField, int available, String listField) {
    JsonNode config = configField == null ? null : root.get(configField);
    String selector = config == null ? "ALL" : config.path("selector").asText("ALL");
    int wanted =
        switch (selector) {
          case "ANY" -> 1;
          case "EXACT" ->
              Objects.requireNonNull(config, "EXACT is read from a config").path("count").asInt(0);
          case "ALL", "SERVICE_SELECTOR_UNDEFINED" -> available;
          default ->
              throw new InvalidInputException(
                  "signing config " + path + ": unknown selector '" + selector + "'");
        };
    if (wanted < 1) {
      throw new InvalidInputException(
          "signing config " + path + ": " + configField + " selects no service");
    }
    if (wanted > 1) {
      throw new InvalidInputException(
          "signing config "
              + path
              + " asks for "
              + wanted
              + " services from "
              + listField
              + " ("
              + selector
              + "); this signer uses exactly one");
    }
    return wanted;
  }

  private Optional<Service> service(JsonNode node, String field) {
    String url = node.path("url").asText("");
    if (url.isEmpty()) {
      return Optional.empty();
    }
    JsonNode validFor = node.path("validFor");
    Instant start = instant(validFor.path("start"), field).orElse(Instant.MIN);
    Optional<Instant> end = instant(validFor.path("end"), field);
    return Optional.of(
        new Service(
            uri(url, field),
            node.path("majorApiVersion").asInt(1),
            start,
            end,
            node.path("operator").asText("")));
  }

  private Optional<Instant> instant(JsonNode value, String field) {
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.asText()));
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          "signing config "
              + path
              + ": "
              + field
              + " has an invalid time '"
              + value.asText()
              + "'");
    }
  }

  private URI uri(String text, String field) {
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "signing config " + path + ": " + field + " has an invalid URL '" + text + "'");
    }
  }
}
