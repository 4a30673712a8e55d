package dev.modelsigning.beam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.core.manifest.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;

/**
 * HashModels.collectingErrors (bulk verification): a model that cannot be hashed becomes a
 * HashedModel whose errors name the file, while the other models of the same pipeline still hash
 * fine. failingFast fails the job instead.
 */
public class CollectingErrorsTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final AfterListing afterListing = new AfterListing();
  public final transient TestPipeline p = TestPipeline.create();

  // The System.err hook must outlive the pipeline run.
  @Rule
  public final transient TestRule rules = RuleChain.outerRule(tmp).around(afterListing).around(p);

  private ModelRequest fine;
  private ModelRequest broken;

  /** Two small models, sharded so the vanishing file is several units; one batch per unit. */
  private PCollection<HashedModel> hashBoth(HashModels hashing) {
    Path root = tmp.getRoot().toPath();
    fine = TestModels.hashRequest(TestModels.small(root, "fine"), TestModels.shards());
    broken = TestModels.hashRequest(TestModels.small(root, "broken"), TestModels.shards());
    return p.apply(Create.of(fine, broken).withCoder(SerializableCoder.of(ModelRequest.class)))
        .apply(hashing.withBatchTarget(1));
  }

  private void deleteAfterListing(Path file) {
    afterListing.then(
        broken.location().root(),
        () -> {
          try {
            Files.delete(file);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Test
  public void aFileThatVanishedAfterListingFailsOnlyItsModel() {
    PCollection<HashedModel> hashed = hashBoth(HashModels.collectingErrors());
    Manifest fineManifest = TestModels.coreManifest(fine);
    String fineKey = fine.location().root();
    String brokenKey = broken.location().root();
    deleteAfterListing(broken.location().localPath().resolve("weights/w.bin"));

    PAssert.that(hashed)
        .satisfies(
            models -> {
              HashSet<String> seen = new HashSet<>();
              for (HashedModel m : models) {
                seen.add(m.snapshot().model());
                if (m.snapshot().model().equals(fineKey)) {
                  assertTrue(m.errors().toString(), m.ok());
                  assertEquals(fineManifest, m.manifest());
                } else {
                  assertFalse(m.ok());
                  assertNull(m.manifest());
                  String errors = String.join("; ", m.errors());
                  assertTrue(errors, errors.contains("'weights/w.bin' disappeared"));
                  // Seven shards failed: the one cause is reported once.
                  assertEquals(errors, new HashSet<>(m.errors()).size(), m.errors().size());
                }
              }
              assertEquals(new HashSet<>(List.of(fineKey, brokenKey)), seen);
              return null;
            });
    p.run();
    assertEquals("the listing hook never ran", 1, afterListing.fired());
  }

  @Test
  public void aModelThatCannotBeListedFailsOnlyItsModel() throws IOException {
    PCollection<HashedModel> hashed = hashBoth(HashModels.collectingErrors());
    Manifest fineManifest = TestModels.coreManifest(fine);
    String fineKey = fine.location().root();
    // Symlinks are refused unless the settings allow them.
    Files.createSymbolicLink(
        broken.location().localPath().resolve("link.bin"), Path.of("config.json"));

    PAssert.that(hashed)
        .satisfies(
            models -> {
              int n = 0;
              for (HashedModel m : models) {
                n++;
                if (m.snapshot().model().equals(fineKey)) {
                  assertEquals(fineManifest, m.manifest());
                } else {
                  assertNull(m.manifest());
                  assertTrue(m.errors().toString(), m.errors().toString().contains("link.bin"));
                }
              }
              assertEquals(2, n);
              return null;
            });
    p.run();
  }

  @Test
  public void failingFastFailsTheJobNamingTheFile() {
    hashBoth(HashModels.failingFast());
    deleteAfterListing(broken.location().localPath().resolve("weights/w.bin"));
    PipelineExecutionException e = assertThrows(PipelineExecutionException.class, p::run);
    assertTrue(e.getMessage(), e.getMessage().contains("'weights/w.bin' disappeared"));
    assertEquals("the listing hook never ran", 1, afterListing.fired());
  }
}
