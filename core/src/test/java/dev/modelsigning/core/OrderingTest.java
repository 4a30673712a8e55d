package dev.modelsigning.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.format.ShardName;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.manifest.WorkPlanner;
import dev.modelsigning.core.manifest.WorkUnit;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.model.ModelFile;
import dev.modelsigning.core.model.ResourceNames;
import dev.modelsigning.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resource order (model_signing's, by path components and code points) and shard boundaries. */
class OrderingTest {
  static final String GRINNING = "\uD83D\uDE00"; // U+1F600, a surrogate pair in UTF-16
  static final String TILDE = "\uFF5E"; // U+FF5E FULLWIDTH TILDE
  static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @TempDir Path tmp;

  private static final ListingPolicy NO_SYMLINKS =
      new ListingPolicy(IgnorePaths.of(null, List.of()), false);

  private static List<String> names(Manifest m) {
    return m.resources().stream().map(ResourceDigest::name).toList();
  }

  private static SerializationSettings files() {
    return SerializationSettings.files(HashAlgorithm.SHA256, false, List.of());
  }

  private static SerializationSettings shards(long size) {
    return SerializationSettings.shards(HashAlgorithm.SHA256, size, false, List.of());
  }

  @Test
  void directoryComponentsSortBeforeLongerSiblingNames() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("tokenizer.json"), "{}");
    Fixtures.write(m.resolve("tokenizer/vocab.txt"), "a");
    Fixtures.write(m.resolve("tokenizer-extra"), "b");
    Fixtures.write(m.resolve("tokenizer/a/b"), "c");
    // String.compareTo would put "tokenizer-extra" ('-' 0x2d) and "tokenizer.json" ('.' 0x2e)
    // before "tokenizer/..." ('/' 0x2f); component order puts the directory first.
    List<String> expected =
        List.of("tokenizer/a/b", "tokenizer/vocab.txt", "tokenizer-extra", "tokenizer.json");
    assertEquals(expected, names(LocalModelHasher.hash(m, files(), NO_SYMLINKS)));
    List<String> shuffled = new ArrayList<>(expected);
    Collections.reverse(shuffled);
    shuffled.sort(ResourceNames.PATH_ORDER);
    assertEquals(expected, shuffled);
    assertTrue(ResourceNames.comparePaths("tokenizer/vocab.txt", "tokenizer.json") < 0);
    assertTrue("tokenizer/vocab.txt".compareTo("tokenizer.json") > 0, "sanity: UTF-16 differs");
  }

  @Test
  void nonBmpCharactersSortByCodePoint() throws Exception {
    // String.compareTo: U+1F600 (0xD83D..) < U+FF5E. Code point order: U+FF5E < U+1F600.
    assertTrue(GRINNING.compareTo(TILDE) < 0, "sanity: UTF-16 order is the other way");
    assertTrue(ResourceNames.compareCodePoints(TILDE, GRINNING) < 0);
    assertTrue(ResourceNames.comparePaths(TILDE + "/x", GRINNING) < 0);
    assertTrue(ResourceNames.comparePaths("a" + GRINNING, "a" + TILDE + "b") > 0);

    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve(GRINNING), "1");
    Fixtures.write(m.resolve(TILDE), "2");
    Fixtures.write(m.resolve("z"), "3");
    Fixtures.write(m.resolve("d/" + GRINNING), "4");
    Fixtures.write(m.resolve("d/" + TILDE), "5");
    List<String> expected = List.of("d/" + TILDE, "d/" + GRINNING, "z", TILDE, GRINNING);
    assertEquals(expected, names(LocalModelHasher.hash(m, files(), NO_SYMLINKS)));
    assertEquals(
        List.of(
            "d/" + TILDE + ":0:1",
            "d/" + GRINNING + ":0:1",
            "z:0:1",
            TILDE + ":0:1",
            GRINNING + ":0:1"),
        names(LocalModelHasher.hash(m, shards(8), NO_SYMLINKS)));
  }

  @Test
  void workUnitOrderIsPathThenIntegerOffsets() {
    List<WorkUnit> units =
        new ArrayList<>(
            List.of(
                new WorkUnit("b", 0, 8, true),
                new WorkUnit("a", 100, 108, true),
                new WorkUnit("a", 8, 16, true),
                new WorkUnit("a", 16, 20, true),
                new WorkUnit("a", 0, 8, true),
                new WorkUnit(GRINNING, 0, 8, true),
                new WorkUnit(TILDE, 0, 8, true),
                new WorkUnit("a/b", 0, 8, true)));
    units.sort(WorkUnit.RESOURCE_ORDER);
    // Integer order: 8 < 16 < 100 (string order would put "100" before "16" and "8").
    assertEquals(
        List.of(
            "a:0:8",
            "a:8:16",
            "a:16:20",
            "a:100:108",
            "a/b:0:8", // ["a"] < ["a", "b"], as Python compares path parts
            "b:0:8",
            TILDE + ":0:8",
            GRINNING + ":0:8"),
        units.stream().map(WorkUnit::resourceName).toList());
  }

  @Test
  void namesWithSpacesAndColons() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("a:b"), "0123456789abcdef0"); // 17 bytes
    Fixtures.write(m.resolve("with space/x y.bin"), "z");
    Fixtures.write(m.resolve("a"), "q");
    Manifest sh = LocalModelHasher.hash(m, shards(8), NO_SYMLINKS);
    assertEquals(
        List.of("a:0:1", "a:b:0:8", "a:b:8:16", "a:b:16:17", "with space/x y.bin:0:1"), names(sh));
    assertEquals(new ShardName("a:b", 0, 8), ShardName.parse("a:b:0:8"));
    assertEquals(new ShardName("a:b", 16, 17), ShardName.parse("a:b:16:17"));
    assertEquals(
        new ShardName("with space/x y.bin", 0, 1), ShardName.parse("with space/x y.bin:0:1"));
    // The statement round-trips: the reader parses shard names from the right.
    assertEquals(sh, StatementReader.read(StatementWriter.write(sh)).manifest());

    Manifest fl = LocalModelHasher.hash(m, files(), NO_SYMLINKS);
    assertEquals(List.of("a", "a:b", "with space/x y.bin"), names(fl));
    assertEquals(fl, StatementReader.read(StatementWriter.write(fl)).manifest());
  }

  @Test
  void shardBoundariesAtExactMultiples() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("sixteen"), "0123456789abcdef");
    Fixtures.write(m.resolve("seventeen"), "0123456789abcdefg");
    Fixtures.write(m.resolve("eight"), "01234567");
    Fixtures.write(m.resolve("seven"), "0123456");
    assertEquals(
        List.of(
            "eight:0:8",
            "seven:0:7",
            "seventeen:0:8",
            "seventeen:8:16",
            "seventeen:16:17",
            "sixteen:0:8",
            "sixteen:8:16"),
        names(LocalModelHasher.hash(m, shards(8), NO_SYMLINKS)));

    List<WorkUnit> units = WorkPlanner.unitsOf(new ModelFile("f", 16), shards(8));
    assertEquals(List.of(new WorkUnit("f", 0, 8, true), new WorkUnit("f", 8, 16, true)), units);
    assertEquals(1, WorkPlanner.unitsOf(new ModelFile("f", 16), shards(16)).size());
    assertEquals(
        3, WorkPlanner.unitsOf(new ModelFile("f", 3_000_000_000L), shards(1_000_000_000L)).size());
    List<WorkUnit> big =
        WorkPlanner.unitsOf(new ModelFile("f", 3_000_000_001L), shards(1_000_000_000L));
    assertEquals(4, big.size());
    assertEquals("f:3000000000:3000000001", big.get(3).resourceName());
  }

  @Test
  void emptyFile() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("empty"), "");
    Fixtures.write(m.resolve("full"), "x");
    Manifest fl = LocalModelHasher.hash(m, files(), NO_SYMLINKS);
    assertEquals(List.of("empty", "full"), names(fl));
    assertEquals(EMPTY_SHA256, fl.resources().get(0).hex());
    Manifest sh = LocalModelHasher.hash(m, shards(8), NO_SYMLINKS);
    assertEquals(List.of("full:0:1"), names(sh));
    assertEquals(List.of(), WorkPlanner.unitsOf(new ModelFile("e", 0), shards(8)));
    assertEquals(
        List.of(new WorkUnit("e", 0, 0, false)),
        WorkPlanner.unitsOf(new ModelFile("e", 0), files()));
  }

  @Test
  void shardNameRejectsMalformedNames() {
    for (String bad :
        List.of(
            "a",
            "a:1",
            ":0:8",
            "a:8:8",
            "a:9:8",
            "a:-1:8",
            "a:x:8",
            "a:0:",
            "a:+0:8",
            "a:00:8",
            "a:0:08",
            "a: 0:8",
            "a:0:99999999999999999999")) {
      VerificationException e =
          assertThrows(VerificationException.class, () -> ShardName.parse(bad), bad);
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
  }
}
