package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.manifest.UnitBatcher;
import dev.modelsigning.core.manifest.WorkPlanner;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.model.LocalModelLister;
import dev.modelsigning.pipeline.options.DigestModelOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Beam graph's element count follows the batching rule (it grows with bytes, not with files or
 * shards), a huge file is still cut into several tasks, and planning is separated from hashing so
 * the tasks spread over workers. Counted with the runner's own metrics, never timed.
 */
class BatchingTest {
  @TempDir Path tmp;

  @Test
  void twentyThousandSmallFilesMakeAHandfulOfElements() throws IOException {
    Path model = Files.createDirectory(tmp.resolve("many"));
    Random random = new Random(1);
    byte[] data = new byte[512];
    for (int d = 0; d < 100; d++) {
      Path dir = Files.createDirectory(model.resolve("part-" + d));
      for (int f = 0; f < 200; f++) {
        random.nextBytes(data);
        Files.write(dir.resolve("f" + f + ".bin"), data);
      }
    }
    PipelineResult result = run(digestPipeline(model, "--method=files"));
    assertEquals(20_000, counter(result, "unitsHashed"));

    var files =
        new ListingPolicy(IgnorePaths.of(null, List.of()), false)
            .select(LocalModelLister.list(model));
    var units =
        WorkPlanner.plan(files, SerializationSettings.files(HashAlgorithm.SHA256, false, null));
    long batches = counter(result, "batchesPlanned");
    long bound = UnitBatcher.forLocalFiles().maxBatches(units);
    assertTrue(batches <= bound, batches + " batches, the rule allows " + bound);
    assertTrue(batches <= 100, "20,000 files of 512 bytes made " + batches + " elements");
  }

  @Test
  void aHugeFileIsStillCutIntoSeveralTasksWithShards() throws IOException {
    Path model = Files.createDirectory(tmp.resolve("big"));
    byte[] block = new byte[1 << 20];
    new Random(2).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(model.resolve("weights.bin"))) {
      for (int i = 0; i < 96; i++) {
        out.write(block);
      }
    }
    PipelineResult result =
        run(
            digestPipeline(
                model,
                "--method=shards",
                "--shardSize=" + (4 << 20),
                "--hashBatchBytes=" + (16 << 20)));
    assertEquals(24, counter(result, "unitsHashed"));
    assertEquals(96L << 20, counter(result, "bytesHashed"));
    assertTrue(counter(result, "batchesPlanned") >= 6, "one 96 MiB file in 16 MiB tasks");
    // And in files mode it is one task: a whole file is never split.
    assertEquals(1, counter(run(digestPipeline(model, "--method=files")), "batchesPlanned"));
  }

  @Test
  void batchingLeavesTheDigestUnchanged() throws IOException {
    Path model = Files.createDirectory(tmp.resolve("mixed"));
    Random random = new Random(3);
    for (int i = 0; i < 50; i++) {
      byte[] b = new byte[random.nextInt(300_000)];
      random.nextBytes(b);
      Files.createDirectories(model.resolve("d" + (i % 7)));
      Files.write(model.resolve("d" + (i % 7)).resolve("f" + i), b);
    }
    var policy = new ListingPolicy(IgnorePaths.of(null, List.of()), false);
    var settings = SerializationSettings.shards(HashAlgorithm.SHA256, 65_536, false, List.of());
    String expected = LocalModelHasher.hash(model, settings, policy).subjectDigestHex();
    for (String target : List.of("100000", "1000000", "100000000")) {
      PipelineResult result =
          run(
              digestPipeline(
                  model, "--method=shards", "--shardSize=65536", "--hashBatchBytes=" + target));
      assertTrue(counter(result, "batchesPlanned") >= 1);
      // the digest is in the job's published result
      assertEquals(
          "sha256:" + expected,
          dev.modelsigning.beam.values.ModelResult.fromJson(
                  result
                      .metrics()
                      .queryMetrics(
                          MetricsFilter.builder()
                              .addNameFilter(MetricNameFilter.named("model-signing", "modelResult"))
                              .build())
                      .getStringSets()
                      .iterator()
                      .next()
                      .getAttempted()
                      .getStringSet()
                      .iterator()
                      .next())
              .subjectDigest(),
          "batch target " + target);
    }
  }

  @Test
  void planningAndHashingAreSeparatedByAReshuffle() {
    Pipeline p = digestPipeline(tmp, "--method=files");
    List<String> names = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
          }
        });
    int plan = indexOf(names, "DigestModel/Hash/PlanBatches");
    int spread = indexOf(names, "DigestModel/Hash/SpreadBatches");
    int hash = indexOf(names, "DigestModel/Hash/HashBatches");
    assertTrue(plan < spread && spread < hash, names.toString());
  }

  private static int indexOf(List<String> names, String prefix) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError(prefix + " not in " + names);
  }

  private static Pipeline digestPipeline(Path model, String... extra) {
    List<String> args = new ArrayList<>(List.of("--model=" + model));
    args.addAll(List.of(extra));
    DigestModelOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(DigestModelOptions.class);
    return DigestModelPipeline.create(options);
  }

  private static PipelineResult run(Pipeline p) {
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return result;
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("model-signing", name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
