package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.pipeline.options.DigestModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hashing fans out: planning is separated from hashing by a reshuffle, and the DirectRunner hashes
 * several units at once (the runner's own metric, not a wall-clock time), both for many small files
 * and for one big file cut into shards.
 */
class ParallelHashingTest {
  @TempDir Path tmp;

  @Test
  void twoThousandSmallFilesHashInParallel() throws IOException {
    Path model = Files.createDirectory(tmp.resolve("many"));
    Random random = new Random(1);
    for (int d = 0; d < 20; d++) {
      Path dir = Files.createDirectory(model.resolve("part-" + d));
      for (int f = 0; f < 100; f++) {
        byte[] data = new byte[512 + random.nextInt(2048)];
        random.nextBytes(data);
        Files.write(dir.resolve("f" + f + ".bin"), data);
      }
    }
    PipelineResult result = run(digestPipeline(model, "--method=files"));
    assertEquals(2000, counter(result, "unitsHashed"));
    assertTrue(maxInFlight(result) >= 2, "units hashed concurrently: max " + maxInFlight(result));
  }

  @Test
  void oneBigFileIsCutIntoShardsHashedInParallel() throws IOException {
    Path model = Files.createDirectory(tmp.resolve("big"));
    byte[] block = new byte[1 << 20];
    new Random(2).nextBytes(block);
    try (var out = Files.newOutputStream(model.resolve("weights.bin"))) {
      for (int i = 0; i < 96; i++) {
        out.write(block);
      }
    }
    PipelineResult result =
        run(digestPipeline(model, "--method=shards", "--shardSize=" + (4 << 20)));
    assertEquals(24, counter(result, "unitsHashed"));
    assertEquals(96L << 20, counter(result, "bytesHashed"));
    assertTrue(maxInFlight(result) >= 2, "shards hashed concurrently: max " + maxInFlight(result));
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
    int plan = indexOf(names, "DigestModel/Hash/PlanUnits");
    int spread = indexOf(names, "DigestModel/Hash/SpreadUnits");
    int hash = indexOf(names, "DigestModel/Hash/HashUnits");
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
    List<String> args = new ArrayList<>(List.of("--model=" + model, "--targetParallelism=4"));
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

  private static MetricQueryResults query(PipelineResult result, String name) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder().addNameFilter(MetricNameFilter.named("model", name)).build());
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : query(result, name).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  private static long maxInFlight(PipelineResult result) {
    long max = 0;
    for (MetricResult<DistributionResult> d :
        query(result, "unitsInFlightPerWorker").getDistributions()) {
      max = Math.max(max, d.getAttempted().getMax());
    }
    return max;
  }
}
