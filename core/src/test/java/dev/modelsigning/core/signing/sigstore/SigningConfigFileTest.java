package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.InvalidInputException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing config v0.2 selection rules for the transparency log, at a fixed time. */
class SigningConfigFileTest {
  static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  SigstoreInstance instance(String rekorTlogUrls, String rekorTlogConfig) throws Exception {
    Path config = dir.resolve("signing_config.json");
    Files.writeString(
        config,
        """
        {"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json",
         "caUrls":[{"url":"https://fulcio.example","majorApiVersion":1,
                    "validFor":{"start":"2023-01-01T00:00:00Z"},"operator":"example.com"}],
         "rekorTlogUrls":%s,
         "tsaUrls":[{"url":"https://tsa.example/api/v1/timestamp","majorApiVersion":1,
                     "validFor":{"start":"2024-01-01T00:00:00Z"},"operator":"example.com"}],
         "rekorTlogConfig":%s,"tsaConfig":{"selector":"ANY"}}
        """
            .formatted(rekorTlogUrls, rekorTlogConfig));
    return SigningConfigFile.read(config, NOW)
        .toInstance(java.util.Optional.of(dir.resolve("trusted_root.json")));
  }

  static String log(String url, int version, String start, String end, String operator) {
    return "{\"url\":\"%s\",\"majorApiVersion\":%d,\"validFor\":{\"start\":\"%s\"%s},\"operator\":\"%s\"}"
        .formatted(url, version, start, end == null ? "" : ",\"end\":\"" + end + "\"", operator);
  }

  static final String ANY = "{\"selector\":\"ANY\"}";

  @Test
  void prefersRekorV2OverV1FromTheSameOperator() throws Exception {
    SigstoreInstance i =
        instance(
            "["
                + log("https://rekor.example", 1, "2021-01-01T00:00:00Z", null, "example.com")
                + ","
                + log("https://log2026.example", 2, "2026-01-01T00:00:00Z", null, "example.com")
                + "]",
            ANY);
    assertEquals(URI.create("https://log2026.example"), i.rekorUrl());
    assertEquals(2, i.rekorApiVersion());
  }

  @Test
  void skipsARekorV2LogThatIsNotValidYetOrAnyMore() throws Exception {
    SigstoreInstance i =
        instance(
            "["
                + log("https://future.example", 2, "2027-01-01T00:00:00Z", null, "example.com")
                + ","
                + log(
                    "https://expired.example",
                    2,
                    "2025-01-01T00:00:00Z",
                    "2026-01-01T00:00:00Z",
                    "example.com")
                + ","
                + log("https://rekor.example", 1, "2021-01-01T00:00:00Z", null, "example.com")
                + "]",
            ANY);
    assertEquals(URI.create("https://rekor.example"), i.rekorUrl());
    assertEquals(1, i.rekorApiVersion());
  }

  /** Public-good's staging config lists shards oldest last: the newest valid start wins. */
  @Test
  void picksTheNewestValidityStart() throws Exception {
    SigstoreInstance i =
        instance(
            "["
                + log("https://log-a.example", 2, "2025-05-01T00:00:00Z", null, "example.com")
                + ","
                + log("https://log-b.example", 2, "2026-02-01T00:00:00Z", null, "example.com")
                + "]",
            ANY);
    assertEquals(URI.create("https://log-b.example"), i.rekorUrl());
  }

  @Test
  void ignoresApiVersionsItDoesNotSpeak() throws Exception {
    SigstoreInstance i =
        instance(
            "["
                + log("https://v3.example", 3, "2026-01-01T00:00:00Z", null, "example.com")
                + ","
                + log("https://rekor.example", 1, "2021-01-01T00:00:00Z", null, "example.com")
                + "]",
            ANY);
    assertEquals(URI.create("https://rekor.example"), i.rekorUrl());
  }

  @Test
  void refusesASelectorThatNeedsTwoLogs() throws Exception {
    String logs =
        "["
            + log("https://a.example", 2, "2026-01-01T00:00:00Z", null, "a.example")
            + ","
            + log("https://b.example", 2, "2026-01-01T00:00:00Z", null, "b.example")
            + "]";
    var exact =
        assertThrows(
            InvalidInputException.class,
            () -> instance(logs, "{\"selector\":\"EXACT\",\"count\":2}"));
    assertTrue(
        exact.getMessage().contains("asks for 2 services from rekorTlogUrls"), exact.getMessage());
    var all =
        assertThrows(InvalidInputException.class, () -> instance(logs, "{\"selector\":\"ALL\"}"));
    assertTrue(all.getMessage().contains("this signer uses exactly one"), all.getMessage());
  }

  @Test
  void allWithOneOperatorIsOneLog() throws Exception {
    SigstoreInstance i =
        instance(
            "["
                + log("https://a.example", 2, "2026-01-01T00:00:00Z", null, "example.com")
                + ","
                + log("https://b.example", 2, "2025-01-01T00:00:00Z", null, "example.com")
                + "]",
            "{\"selector\":\"ALL\"}");
    assertEquals(URI.create("https://a.example"), i.rekorUrl());
  }

  @Test
  void exactOneNeedsOneValidLog() throws Exception {
    var e =
        assertThrows(
            InvalidInputException.class,
            () ->
                instance(
                    "[" + log("https://a.example", 2, "2027-01-01T00:00:00Z", null, "x") + "]",
                    "{\"selector\":\"EXACT\",\"count\":1}"));
    assertTrue(e.getMessage().contains("rekorTlogUrls"), e.getMessage());
  }
}
