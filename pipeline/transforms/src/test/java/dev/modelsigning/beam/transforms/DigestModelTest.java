package dev.modelsigning.beam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.model.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * DigestModel reports the core's subject digest, like model_signing digest, whatever the batching.
 */
public class DigestModelTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void reportsTheCoresDigest() {
    Path model = TestModels.rich(tmp.getRoot().toPath(), "rich");
    ModelRequest request = TestModels.hashRequest(model, TestModels.shards());
    Manifest core = TestModels.coreManifest(request);
    List<ModelFile> files = TestModels.coreFiles(request);
    String root = request.location().root();
    String digest = TestModels.sha256(core);
    long fileCount = files.size();
    long bytes = TestModels.bytes(files);
    long resources = core.resources().size();
    SerializableFunction<ModelResult, Void> isTheCores =
        r -> {
          assertEquals(ModelResult.Action.DIGESTED, r.action());
          assertEquals(root, r.model());
          assertEquals(digest, r.subjectDigest());
          assertEquals(fileCount, r.files());
          assertEquals(bytes, r.bytes());
          assertEquals(resources, r.resources());
          assertNull(r.signature());
          assertNull(r.signer());
          return null;
        };

    PCollection<ModelRequest> requests =
        p.apply(Create.of(request).withCoder(SerializableCoder.of(ModelRequest.class)));
    PAssert.thatSingleton("default", requests.apply("Default", DigestModel.create()))
        .satisfies(isTheCores);
    PAssert.thatSingleton(
            "one unit per batch",
            requests.apply(
                "Tiny",
                DigestModel.create().withHashing(HashModels.failingFast().withBatchTarget(1))))
        .satisfies(isTheCores);
    p.run();
  }

  @Test
  public void aModelThatCannotBeHashedFailsTheJobNamingTheFile() throws IOException {
    Path model = TestModels.small(tmp.getRoot().toPath(), "m");
    Files.createSymbolicLink(model.resolve("link.bin"), Path.of("config.json"));
    p.apply(
            Create.of(TestModels.hashRequest(model, TestModels.files()))
                .withCoder(SerializableCoder.of(ModelRequest.class)))
        .apply(DigestModel.create());
    PipelineExecutionException e = assertThrows(PipelineExecutionException.class, p::run);
    assertTrue(e.getMessage(), e.getMessage().contains("link.bin"));
  }
}
