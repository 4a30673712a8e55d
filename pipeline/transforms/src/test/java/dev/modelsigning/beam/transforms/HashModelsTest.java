package dev.modelsigning.beam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * HashModels on the DirectRunner (immutability and encodability checks on) gives exactly the core
 * in-process hasher's manifest, whatever the batching: one unit per batch, a few per batch, or the
 * whole model in one batch.
 */
@RunWith(Parameterized.class)
public class HashModelsTest {
  @Parameters(name = "{0}, batch target {1}, {2}")
  public static List<Object[]> cases() {
    return List.of(
        new Object[] {"files", 1L, "failingFast"},
        new Object[] {"files", 40L, "collectingErrors"},
        new Object[] {"files", Long.MAX_VALUE, "failingFast"},
        new Object[] {"shards", 1L, "collectingErrors"},
        new Object[] {"shards", 40L, "failingFast"},
        new Object[] {"shards", Long.MAX_VALUE, "collectingErrors"});
  }

  @Parameter(0)
  public String method;

  @Parameter(1)
  public long batchTarget;

  @Parameter(2)
  public String mode;

  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void givesTheCoreHashersManifest() {
    boolean shards = method.equals("shards");
    SerializationSettings settings = shards ? TestModels.shards() : TestModels.files();
    Path rich = TestModels.rich(tmp.getRoot().toPath(), "rich");
    Path single = TestModels.singleFile(tmp.getRoot().toPath(), "weights.bin");
    ModelRequest richRequest = TestModels.hashRequest(rich, settings);
    ModelRequest singleRequest = TestModels.hashRequest(single, settings);

    HashMap<String, Manifest> expected = new HashMap<>();
    expected.put(richRequest.location().root(), TestModels.coreManifest(richRequest));
    expected.put(singleRequest.location().root(), TestModels.coreManifest(singleRequest));
    // The reference itself is checked against the contract, without the planner or hasher.
    assertEquals(
        TestModels.richResourceNames(shards), names(expected.get(richRequest.location().root())));
    assertEquals(
        shards ? List.of(".:0:16", ".:16:32", ".:32:48") : List.of("."),
        names(expected.get(singleRequest.location().root())));
    expected.values().forEach(m -> assertDigestsAreOfTheBytes(m, rich, single));

    HashModels hashing =
        mode.equals("failingFast") ? HashModels.failingFast() : HashModels.collectingErrors();
    PCollection<HashedModel> hashed =
        p.apply(
                Create.of(richRequest, singleRequest)
                    .withCoder(SerializableCoder.of(ModelRequest.class)))
            .apply(hashing.withBatchTarget(batchTarget));

    PAssert.that(hashed)
        .satisfies(
            models -> {
              Set<String> seen = new HashSet<>();
              for (HashedModel m : models) {
                assertTrue(m.snapshot().model() + ": " + m.errors(), m.ok());
                assertTrue("model twice: " + m.snapshot().model(), seen.add(m.snapshot().model()));
                assertEquals(expected.get(m.snapshot().model()), m.manifest());
              }
              assertEquals(expected.keySet(), seen);
              return null;
            });
    p.run();
  }

  private static List<String> names(Manifest m) {
    return m.resources().stream().map(ResourceDigest::name).toList();
  }

  /** Each resource's digest is the JDK's SHA-256 of the bytes its name says. */
  private static void assertDigestsAreOfTheBytes(Manifest m, Path rich, Path single) {
    boolean isSingle = m.modelName().equals(single.getFileName().toString());
    for (ResourceDigest r : m.resources()) {
      String[] parts = r.name().split(":");
      Path file = isSingle ? single : rich.resolve(parts[0]);
      int start = parts.length == 3 ? Integer.parseInt(parts[1]) : 0;
      int end = parts.length == 3 ? Integer.parseInt(parts[2]) : (int) file.toFile().length();
      assertEquals(r.name(), TestModels.sha256Hex(file, start, end), r.hex());
    }
  }
}
