package dev.modelsigning.beam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.manifest.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * HashModels is a reusable transform: every request must come back as its own HashedModel, also
 * when two requests name the same model (digest it with two methods, sign it to two places). The
 * digests are joined per request ({@link ModelRequest#joinKey()}), so two requests for one model
 * with different settings give two manifests, each equal to the core's; two identical requests
 * cannot be told apart and fail the job, naming the model, before it is listed.
 */
public class SameModelTwiceTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void twoRequestsForOneModelGiveTwoManifests() {
    Path model = TestModels.small(tmp.getRoot().toPath(), "m");
    ModelRequest files = TestModels.hashRequest(model, TestModels.files());
    ModelRequest shards = TestModels.hashRequest(model, TestModels.shards());
    List<Manifest> expected =
        List.of(TestModels.coreManifest(files), TestModels.coreManifest(shards));

    PCollection<HashedModel> hashed =
        p.apply(Create.of(files, shards).withCoder(SerializableCoder.of(ModelRequest.class)))
            .apply(HashModels.collectingErrors());

    PAssert.that(hashed)
        .satisfies(
            models -> {
              List<Manifest> got = new ArrayList<>();
              for (HashedModel m : models) {
                assertTrue(m.errors().toString(), m.ok());
                got.add(m.manifest());
              }
              assertEquals(2, got.size());
              assertTrue(got.containsAll(expected));
              return null;
            });
    p.run();
  }

  /**
   * Two identical requests would share one join key and come back as one model: the job fails,
   * naming the model, before anything is listed or hashed (the model does not even exist, and
   * failing fast, listing it would fail the job with another error).
   */
  @Test
  public void identicalRequestsFailTheJobBeforeAnythingIsListed() {
    Path missing = tmp.getRoot().toPath().resolve("no-such-model");
    ModelRequest request = TestModels.hashRequest(missing, TestModels.files());

    p.apply(Create.of(request, request).withCoder(SerializableCoder.of(ModelRequest.class)))
        .apply(HashModels.failingFast());

    PipelineExecutionException e = assertThrows(PipelineExecutionException.class, p::run);
    assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof InvalidInputException);
    assertEquals(
        "model '"
            + missing
            + "' was requested twice with the same settings and signature location;"
            + " request it once",
        e.getCause().getMessage());
  }

  /** Collecting errors per model too: one result for two requests would be no answer at all. */
  @Test
  public void identicalRequestsFailTheJobAlsoWhenCollectingErrors() {
    Path model = TestModels.small(tmp.getRoot().toPath(), "m");
    ModelRequest request = TestModels.signRequest(model, TestModels.shards());
    ModelRequest other = TestModels.hashRequest(model, TestModels.shards());

    p.apply(Create.of(other, request, request).withCoder(SerializableCoder.of(ModelRequest.class)))
        .apply(HashModels.collectingErrors());

    PipelineExecutionException e = assertThrows(PipelineExecutionException.class, p::run);
    assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof InvalidInputException);
    assertTrue(
        e.getCause().getMessage(),
        e.getCause().getMessage().startsWith("model '" + model + "' was requested twice"));
  }
}
