package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.InvalidInputException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigstoreInstanceTest {
  @TempDir Path dir;

  Path write(String name, String json) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, json);
    return file;
  }

  @Test
  void publicGoodAndStaging() {
    assertEquals(
        URI.create("https://fulcio.sigstore.dev"), SigstoreInstance.publicGood().fulcioUrl());
    assertEquals(URI.create("https://rekor.sigstage.dev"), SigstoreInstance.staging().rekorUrl());
    assertTrue(SigstoreInstance.publicGood().tsaUrl().isPresent());
  }

  @Test
  void signingConfigV02PicksTheHighestRekorApiVersionValidNow() throws Exception {
    Path config =
        write(
            "signing_config.json",
            """
            {"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json",
             "caUrls":[{"url":"https://fulcio.example","majorApiVersion":1,
                        "validFor":{"start":"2023-01-01T00:00:00Z"}}],
             "oidcUrls":[],
             "rekorTlogUrls":[
               {"url":"https://log2.example","majorApiVersion":2,"validFor":{"start":"2025-01-01T00:00:00Z"}},
               {"url":"https://old.example","majorApiVersion":1,
                "validFor":{"start":"2020-01-01T00:00:00Z","end":"2021-01-01T00:00:00Z"}},
               {"url":"https://rekor.example","majorApiVersion":1,"validFor":{"start":"2021-01-01T00:00:00Z"}}],
             "tsaUrls":[{"url":"https://tsa.example/api/v1/timestamp","majorApiVersion":1,
                         "validFor":{"start":"2024-01-01T00:00:00Z"}}],
             "rekorTlogConfig":{"selector":"ANY"},"tsaConfig":{"selector":"ANY"}}
            """);
    Path root = dir.resolve("trusted_root.json");
    SigstoreInstance instance = SigstoreInstance.fromFiles(root, config);
    assertEquals(URI.create("https://fulcio.example"), instance.fulcioUrl());
    assertEquals(URI.create("https://log2.example"), instance.rekorUrl());
    assertEquals(2, instance.rekorApiVersion());
    assertEquals(
        Optional.of(URI.create("https://tsa.example/api/v1/timestamp")), instance.tsaUrl());
    assertEquals(Optional.of(root), instance.trustedRoot());
  }

  @Test
  void signingConfigV01() throws Exception {
    Path config =
        write(
            "v01.json",
            """
            {"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.1+json",
             "caUrl":"https://fulcio.example","oidcUrl":"https://oauth2.example",
             "tlogUrls":["https://rekor.example"],"tsaUrls":[]}
            """);
    SigstoreInstance instance = SigstoreInstance.fromFiles(dir.resolve("root.json"), config);
    assertEquals(URI.create("https://fulcio.example"), instance.fulcioUrl());
    assertEquals(URI.create("https://rekor.example"), instance.rekorUrl());
    assertTrue(instance.tsaUrl().isEmpty());
  }

  @Test
  void signingConfigWithoutALogIsAClearError() throws Exception {
    Path config = write("bad.json", "{\"caUrls\":[{\"url\":\"https://fulcio.example\"}]}");
    var e =
        assertThrows(
            InvalidInputException.class,
            () -> SigstoreInstance.fromFiles(dir.resolve("root.json"), config));
    assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    assertTrue(e.getMessage().contains("rekorTlogUrls"), e.getMessage());
  }
}
