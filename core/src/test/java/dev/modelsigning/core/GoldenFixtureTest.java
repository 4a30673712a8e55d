package dev.modelsigning.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.testing.Fixtures;
import dev.modelsigning.core.testing.Interop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * model_signing's own unit-test fixtures, rebuilt byte for byte, against its golden manifests and
 * golden in-toto statements (interop README §2 and §3).
 */
class GoldenFixtureTest {
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @TempDir Path tmp;

  /** fixture x variant: "" (files), "_shard" (1e9), "_small_shards" (8). */
  static Stream<Arguments> variants() {
    List<Arguments> out = new ArrayList<>();
    for (String name : Fixtures.NAMES) {
      for (String variant : List.of("", "_shard", "_small_shards")) {
        out.add(Arguments.of(name, variant));
      }
    }
    return out.stream();
  }

  private static SerializationSettings settings(String variant, List<String> ignorePaths) {
    return switch (variant) {
      case "" -> SerializationSettings.files(HashAlgorithm.SHA256, true, ignorePaths);
      case "_shard" ->
          SerializationSettings.shards(
              HashAlgorithm.SHA256, SerializationSettings.DEFAULT_SHARD_SIZE, true, ignorePaths);
      case "_small_shards" ->
          SerializationSettings.shards(HashAlgorithm.SHA256, 8, true, ignorePaths);
      default -> throw new IllegalArgumentException(variant);
    };
  }

  /** The goldens were made with allow_symlinks=true and only the default ignores. */
  private Manifest hash(String fixture, String variant, List<String> recordedIgnores) {
    Path model = Fixtures.build(fixture, tmp);
    ListingPolicy policy = new ListingPolicy(IgnorePaths.of(null, List.of()), true);
    return LocalModelHasher.hash(model, settings(variant, recordedIgnores), policy);
  }

  private static List<String> lines(Manifest m) {
    List<String> out = new ArrayList<>();
    for (ResourceDigest r : m.resources()) {
      out.add(r.name() + ":" + r.hex());
    }
    return out;
  }

  @ParameterizedTest(name = "{0}{1}")
  @MethodSource("variants")
  void manifestMatchesGolden(String fixture, String variant) throws Exception {
    Path golden =
        variant.isEmpty()
            ? Interop.goldenManifests("file").resolve(fixture)
            : Interop.goldenManifests("file_shard")
                .resolve(fixture + (variant.equals("_shard") ? "" : "_small_shards"));
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(golden, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        expected.add(line);
      }
    }
    Manifest m = hash(fixture, variant, null);
    assertEquals(expected, lines(m), "manifest lines of " + fixture + variant);
    String algorithm = settings(variant, null).resourceAlgorithm();
    for (ResourceDigest r : m.resources()) {
      assertEquals(algorithm, r.algorithm());
    }
  }

  @ParameterizedTest(name = "{0}{1}")
  @MethodSource("variants")
  void statementMatchesGolden(String fixture, String variant) throws Exception {
    JsonNode golden =
        Json.parse(
            Files.readAllBytes(Interop.goldenStatements().resolve(fixture + variant)), "golden");
    // Goldens record no ignore_paths: build the settings without them.
    Manifest m = hash(fixture, variant, null);

    String goldenSubject = golden.at("/subject/0/digest/sha256").textValue();
    assertNotNull(goldenSubject);
    assertEquals(goldenSubject, m.subjectDigestHex(), "subject digest of " + fixture + variant);
    assertEquals(golden.at("/subject/0/name").textValue(), m.modelName());

    boolean empty = m.resources().isEmpty();
    assertEquals(
        fixture.equals("empty_model_folder")
            || (Fixtures.emptyInShards(fixture) && !variant.isEmpty()),
        empty,
        "which fixtures have no resources");
    if (empty) {
      // model_signing signs empty models; OMS v1.0 (and we) refuse at signing.
      assertEquals(0, golden.at("/predicate/resources").size());
      assertEquals(EMPTY_SHA256, m.subjectDigestHex());
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> StatementWriter.write(m));
      assertTrue(e.getMessage().contains("empty"), e.getMessage());
      assertTrue(e.getMessage().contains(m.modelName()), e.getMessage());
      return;
    }

    byte[] ours = StatementWriter.write(m);
    JsonNode parsed = Json.parse(ours, "our statement");
    assertEquals(normalise(golden), normalise(parsed), "statement of " + fixture + variant);

    // Round trip through the reader gives back the same manifest.
    SignedStatement read = StatementReader.read(ours);
    assertEquals(m, read.manifest());
    assertEquals(m.subjectDigestHex(), read.subjectDigestHex());
    assertEquals(m.modelName(), read.subjectName());

    // The goldens themselves read back to the same manifest (float shard_size accepted).
    byte[] goldenBytes = Files.readAllBytes(Interop.goldenStatements().resolve(fixture + variant));
    assertEquals(m, StatementReader.read(goldenBytes).manifest());
  }

  /** With ignore paths recorded, the statement lists them sorted; everything else is unchanged. */
  @Test
  void recordedIgnorePathsAreSortedAndRoundTrip() throws Exception {
    List<String> ignores = IgnorePaths.of("model.sig", List.of("zz", "ignore-me")).sorted();
    Manifest m = hash("sample_model_folder", "_small_shards", ignores);
    byte[] ours = StatementWriter.write(m);
    JsonNode parsed = Json.parse(ours, "ours");
    List<String> recorded = new ArrayList<>();
    parsed.at("/predicate/serialization/ignore_paths").forEach(n -> recorded.add(n.textValue()));
    assertEquals(
        List.of(".git", ".gitattributes", ".github", ".gitignore", "ignore-me", "model.sig", "zz"),
        recorded);
    assertEquals(8, parsed.at("/predicate/serialization/shard_size").longValue());
    assertTrue(parsed.at("/predicate/serialization/shard_size").isIntegralNumber());
    assertEquals(m, StatementReader.read(ours).manifest());

    JsonNode golden =
        Json.parse(
            Files.readAllBytes(
                Interop.goldenStatements().resolve("sample_model_folder_small_shards")),
            "golden");
    ((ObjectNode) parsed.at("/predicate/serialization")).remove("ignore_paths");
    assertEquals(normalise(golden), normalise(parsed));
  }

  /** Unsorted ignore paths given to the settings are still written sorted (code point order). */
  @Test
  void ignorePathsAreWrittenSortedWhateverTheInputOrder() throws Exception {
    Path model = Fixtures.build("sample_model_file", tmp);
    SerializationSettings s =
        SerializationSettings.files(
            HashAlgorithm.SHA256, false, List.of("b", "\uFF5E", "\uD83D\uDE00", "a", ".git"));
    Manifest m =
        LocalModelHasher.hash(model, s, new ListingPolicy(IgnorePaths.of(null, List.of()), false));
    JsonNode parsed = Json.parse(StatementWriter.write(m), "ours");
    List<String> recorded = new ArrayList<>();
    parsed.at("/predicate/serialization/ignore_paths").forEach(n -> recorded.add(n.textValue()));
    assertEquals(List.of(".git", "a", "b", "\uFF5E", "\uD83D\uDE00"), recorded);
  }

  /** The exact bytes: fixed key order, compact, integer shard_size, ASCII only. */
  @Test
  void statementBytesAreCanonical() throws Exception {
    Path model = Fixtures.build("sample_model_file", tmp);
    Manifest m =
        LocalModelHasher.hash(
            model,
            SerializationSettings.shards(HashAlgorithm.SHA256, 8, false, List.of(".git", "x")),
            new ListingPolicy(IgnorePaths.of(null, List.of()), false));
    String expected =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"file_model\","
            + "\"digest\":{\"sha256\":\"57d54248751a51781ac2bed647670df0c45d3926e337021585c34a82384b6573\"}}],"
            + "\"predicateType\":\"https://model_signing/signature/v1.0\",\"predicate\":{"
            + "\"serialization\":{\"method\":\"shards\",\"hash_type\":\"sha256\",\"shard_size\":8,"
            + "\"allow_symlinks\":false,\"ignore_paths\":[\".git\",\"x\"]},\"resources\":["
            + "{\"name\":\".:0:8\",\"algorithm\":\"sha256-sharded-8\",\"digest\":\"a37010c994067764d86540bf479d93b4d0c3bb3955de7b61f951caf2fd0301b0\"},"
            + "{\"name\":\".:8:16\",\"algorithm\":\"sha256-sharded-8\",\"digest\":\"bd762002a3528a27fb9a8822f822b949d3c9ab7e860af33039c9aa70ebbbe682\"},"
            + "{\"name\":\".:16:22\",\"algorithm\":\"sha256-sharded-8\",\"digest\":\"a791e1e893ea4260c77475725101fb4cc6ad85f6340f21f10b239184e318cd21\"}]}}";
    assertEquals(expected, new String(StatementWriter.write(m), StandardCharsets.UTF_8));
  }

  @Test
  void nonAsciiNamesAreEscaped() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mod\u00e8le"));
    Fixtures.write(dir.resolve("\uD83D\uDE00.bin"), "x");
    Manifest m =
        LocalModelHasher.hash(
            dir,
            SerializationSettings.files(HashAlgorithm.SHA256, false, List.of()),
            new ListingPolicy(IgnorePaths.of(null, List.of()), false));
    byte[] bytes = StatementWriter.write(m);
    for (byte b : bytes) {
      assertTrue(b >= 0x20 && b < 0x7f, "non-ASCII byte in statement: " + b);
    }
    String s = new String(bytes, StandardCharsets.US_ASCII);
    assertTrue(s.contains("mod\\u00E8le") || s.contains("mod\\u00e8le"), s);
    SignedStatement read = StatementReader.read(bytes);
    assertEquals("mod\u00e8le", read.subjectName());
    assertEquals("\uD83D\uDE00.bin", read.manifest().resources().get(0).name());
    assertArrayEquals(bytes, StatementWriter.write(read.manifest()));
  }

  /**
   * Only what the contract says differs: shard_size float vs integer. Key order is irrelevant
   * (JsonNode object equality); array order is compared.
   */
  private static JsonNode normalise(JsonNode statement) {
    JsonNode copy = statement.deepCopy();
    JsonNode ser = copy.at("/predicate/serialization");
    assertTrue(ser.isObject());
    JsonNode size = ser.get("shard_size");
    if (size != null) {
      assertTrue(size.isNumber(), "shard_size must be a number");
      double d = size.doubleValue();
      assertEquals(Math.rint(d), d, "shard_size must be whole");
      ((ObjectNode) ser).set("shard_size", LongNode.valueOf((long) d));
    }
    assertFalse(ser.has("ignore_paths") && ser.get("ignore_paths").isNull());
    return copy;
  }
}
