package dev.modelsigning.beam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.beam.values.UnitTask;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.manifest.WorkUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that changes while it is being signed is refused, naming the file, instead of signed as a
 * mix of two states. The listing records size and mtime; the hasher re-checks them around every
 * read, and the sign step lists the model again.
 */
class SnapshotConsistencyTest {
  @TempDir Path tmp;
  Path model;
  ModelSnapshot snapshot;

  @BeforeEach
  void listModel() throws Exception {
    model = Files.createDirectory(tmp.resolve("m"));
    Files.writeString(model.resolve("a.bin"), "original weights");
    Files.writeString(model.resolve("b.bin"), "other weights");
    Files.setLastModifiedTime(
        model.resolve("a.bin"), FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
    SerializationSettings settings =
        SerializationSettings.files(HashAlgorithm.SHA256, false, List.of("model.sig"));
    snapshot =
        ModelLister.snapshot(
            ModelRequest.toSign(
                ModelLocation.of(model.toString()),
                settings,
                List.of("model.sig"),
                model.resolve("model.sig").toString()));
  }

  private UnitTask taskFor(String path) {
    ListedFile listed =
        snapshot.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
    return new UnitTask(
        snapshot.request().location(),
        HashAlgorithm.SHA256,
        new WorkUnit(path, 0, listed.size(), false),
        listed);
  }

  @Test
  void unchangedFileHashes() throws Exception {
    assertEquals(32, new UnitHasher(1024).hash(taskFor("a.bin")).length);
  }

  @Test
  void fileRewrittenWithSameSizeIsCaughtByItsModificationTime() throws Exception {
    Files.writeString(model.resolve("a.bin"), "tampered weights");
    var e =
        assertThrows(
            ModelSigningException.class, () -> new UnitHasher(1024).hash(taskFor("a.bin")));
    assertTrue(e.getMessage().contains("'a.bin' was modified"), e.getMessage());
  }

  @Test
  void fileThatGrewIsCaught() throws Exception {
    Files.writeString(model.resolve("a.bin"), "original weights plus more");
    var e =
        assertThrows(
            ModelSigningException.class, () -> new UnitHasher(1024).hash(taskFor("a.bin")));
    assertTrue(e.getMessage().contains("'a.bin'"), e.getMessage());
  }

  @Test
  void deletedFileIsCaught() throws Exception {
    Files.delete(model.resolve("b.bin"));
    var e =
        assertThrows(
            ModelSigningException.class, () -> new UnitHasher(1024).hash(taskFor("b.bin")));
    assertTrue(e.getMessage().contains("'b.bin' disappeared"), e.getMessage());
  }

  @Test
  void fileReplacedByADirectoryCannotBeRead() throws Exception {
    Files.delete(model.resolve("b.bin"));
    Files.createDirectory(model.resolve("b.bin"));
    var e = assertThrows(Exception.class, () -> new UnitHasher(1024).hash(taskFor("b.bin")));
    assertTrue(e.getMessage().contains("b.bin"), e.getMessage());
  }

  @Test
  void fileThatAppearedBeforeSigningIsCaughtByTheSecondListing() throws Exception {
    Files.writeString(model.resolve("late.bin"), "arrived mid-job");
    var e =
        assertThrows(
            ModelSigningException.class, () -> ModelChanges.requireUnchangedSince(snapshot));
    assertTrue(e.getMessage().contains("'late.bin' appeared"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing was signed"), e.getMessage());
  }

  @Test
  void untouchedModelPassesTheSecondListing() {
    ModelChanges.requireUnchangedSince(snapshot);
  }
}
