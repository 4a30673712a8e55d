package dev.modelsigning.core.local;

import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.hashing.RangeHasher;
import dev.modelsigning.core.manifest.FileRun;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.manifest.UnitBatch;
import dev.modelsigning.core.manifest.UnitBatcher;
import dev.modelsigning.core.manifest.WorkPlanner;
import dev.modelsigning.core.manifest.WorkUnit;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.model.LocalModelLister;
import dev.modelsigning.core.model.ModelFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Hashes a model on local disk with every core of this machine: the same plan, batches and kernel
 * as the Beam pipeline, scheduled by a work queue (largest batches first) instead of a runner. Each
 * run of units is one sequential read, so a file of tiny shards costs one open and the shards a
 * digest each.
 *
 * @param threads how many threads hash at once
 * @param batcher how units are grouped into tasks
 * @param progress told how hashing advances, from any thread, or null
 */
public record LocalModelHasher(int threads, UnitBatcher batcher, @Nullable HashProgress progress) {

  public LocalModelHasher {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
  }

  /** One thread per core, local-disk batches, no progress reports. */
  public static LocalModelHasher defaults() {
    return new LocalModelHasher(
        Runtime.getRuntime().availableProcessors(), UnitBatcher.forLocalFiles(), null);
  }

  public LocalModelHasher withThreads(int n) {
    return new LocalModelHasher(n, batcher, progress);
  }

  public LocalModelHasher withProgress(@Nullable HashProgress progress) {
    return new LocalModelHasher(threads, batcher, progress);
  }

  /** Lists the model with the policy and hashes it. */
  public static Manifest hash(Path model, SerializationSettings settings, ListingPolicy policy) {
    return defaults().hashModel(model, settings, policy);
  }

  /** Hashes already-listed files; each must still have its listed size when it is read. */
  public static Manifest hashFiles(
      Path model, SerializationSettings settings, List<ModelFile> files) {
    return defaults().hashListed(model, settings, files);
  }

  public Manifest hashModel(Path model, SerializationSettings settings, ListingPolicy policy) {
    return hashListed(model, settings, policy.select(LocalModelLister.list(model)));
  }

  public Manifest hashListed(Path model, SerializationSettings settings, List<ModelFile> files) {
    Map<String, Long> listedSize = new HashMap<>();
    for (ModelFile f : files) {
      listedSize.put(f.path(), f.size());
    }
    List<UnitBatch> batches = batcher.batch(WorkPlanner.plan(files, settings));
    if (progress != null) {
      progress.started(batches.stream().mapToLong(UnitBatch::bytes).sum());
    }
    Map<WorkUnit, byte[]> digests = new ConcurrentHashMap<>();
    HashAlgorithm algorithm = settings.hashAlgorithm();
    int workers = Math.min(threads, batches.size());
    if (workers <= 1) {
      RangeHasher hasher = new RangeHasher();
      for (UnitBatch b : batches) {
        hashBatch(model, b, algorithm, listedSize, hasher, digests);
      }
    } else {
      runInParallel(model, batches, algorithm, listedSize, digests, workers);
    }
    return Manifest.fromUnits(LocalModelLister.modelName(model), settings, digests);
  }

  private void runInParallel(
      Path model,
      List<UnitBatch> batches,
      HashAlgorithm algorithm,
      Map<String, Long> listedSize,
      Map<WorkUnit, byte[]> digests,
      int workers) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "model-hasher");
              t.setDaemon(true);
              return t;
            });
    ThreadLocal<RangeHasher> hashers = ThreadLocal.withInitial(RangeHasher::new);
    try {
      List<Future<?>> tasks = new ArrayList<>(batches.size());
      for (UnitBatch b : batches) { // largest first: the queue starts the longest tasks first
        tasks.add(
            pool.submit(
                () -> {
                  hashBatch(model, b, algorithm, listedSize, hashers.get(), digests);
                  return null;
                }));
      }
      for (Future<?> t : tasks) {
        t.get();
      }
    } catch (ExecutionException e) {
      Throwable cause = Objects.requireNonNull(e.getCause(), "a failed task has a cause");
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new ModelSigningException("hashing failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelSigningException("interrupted while hashing", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void hashBatch(
      Path model,
      UnitBatch batch,
      HashAlgorithm algorithm,
      Map<String, Long> listedSize,
      RangeHasher hasher,
      Map<WorkUnit, byte[]> digests) {
    for (FileRun run : batch.runs()) {
      long size = Objects.requireNonNull(listedSize.get(run.path()), "every run's file was listed");
      List<byte[]> runDigests = hashRun(model, run, algorithm, size, hasher);
      for (int i = 0; i < runDigests.size(); i++) {
        digests.put(run.units().get(i), runDigests.get(i));
      }
    }
  }

  private List<byte[]> hashRun(
      Path model, FileRun run, HashAlgorithm algorithm, long listedSize, RangeHasher hasher) {
    Path file = run.path().equals(".") ? model : model.resolve(run.path());
    // Read-only open: no code path here may ever write to a model file.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.position(run.start());
      List<byte[]> out =
          hasher.hashConsecutive(
              ch, run.lengths(), algorithm, run.path(), progress == null ? null : progress::hashed);
      // A file that grew after listing would otherwise be signed by its first bytes only.
      long now = ch.size();
      if (now != listedSize) {
        throw new ModelSigningException(
            "'"
                + run.path()
                + "' was "
                + listedSize
                + " bytes when listed and is "
                + now
                + " bytes now: the file changed while it was being hashed");
      }
      return out;
    } catch (IOException e) {
      throw new ModelSigningException(
          "cannot read '"
              + run.path()
              + "': "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage(),
          e);
    }
  }
}
