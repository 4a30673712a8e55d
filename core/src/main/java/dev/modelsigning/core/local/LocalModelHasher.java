package dev.modelsigning.core.local;

import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.hashing.RangeHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.manifest.WorkPlanner;
import dev.modelsigning.core.manifest.WorkUnit;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.model.LocalModelLister;
import dev.modelsigning.core.model.ModelFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hashes a model on local disk in this thread. The Beam pipeline distributes the same units over
 * workers; this is the single-process equivalent for libraries and tests.
 */
public final class LocalModelHasher {
  private LocalModelHasher() {}

  public static Manifest hash(Path model, SerializationSettings settings, ListingPolicy policy) {
    return hashFiles(model, settings, policy.select(LocalModelLister.list(model)));
  }

  /** Hashes already-listed files; each must still have its listed size when it is read. */
  public static Manifest hashFiles(
      Path model, SerializationSettings settings, List<ModelFile> files) {
    Map<String, Long> listedSize = new HashMap<>();
    for (ModelFile f : files) {
      listedSize.put(f.path(), f.size());
    }
    RangeHasher hasher = new RangeHasher();
    Map<WorkUnit, byte[]> digests = new HashMap<>();
    for (WorkUnit unit : WorkPlanner.plan(files, settings)) {
      digests.put(
          unit,
          hashUnit(model, unit, listedSize.get(unit.path()), settings.hashAlgorithm(), hasher));
    }
    return Manifest.fromUnits(LocalModelLister.modelName(model), settings, digests);
  }

  private static byte[] hashUnit(
      Path model, WorkUnit unit, long listedSize, HashAlgorithm alg, RangeHasher hasher) {
    Path file = unit.path().equals(".") ? model : model.resolve(unit.path());
    // Read-only open: no code path here may ever write to a model file.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.position(unit.start());
      byte[] digest = hasher.hash(ch, unit.length(), alg, unit.resourceName());
      // A file that grew after listing would otherwise be signed by its first bytes only.
      long now = ch.size();
      if (now != listedSize) {
        throw new ModelSigningException(
            "'"
                + unit.path()
                + "' was "
                + listedSize
                + " bytes when listed and is "
                + now
                + " bytes now: the file changed while it was being hashed");
      }
      return digest;
    } catch (IOException e) {
      throw new ModelSigningException(
          "cannot read '"
              + unit.path()
              + "': "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage(),
          e);
    }
  }
}
