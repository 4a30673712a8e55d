package dev.modelsigning.core.hashing;

import dev.modelsigning.core.ModelSigningException;
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
    List<ModelFile> files = policy.select(LocalModelLister.list(model));
    RangeHasher hasher = new RangeHasher();
    Map<WorkUnit, byte[]> digests = new HashMap<>();
    for (WorkUnit unit : WorkPlanner.plan(files, settings)) {
      digests.put(unit, hashUnit(model, unit, settings.hashAlgorithm(), hasher));
    }
    return Manifest.fromUnits(LocalModelLister.modelName(model), settings, digests);
  }

  private static byte[] hashUnit(Path model, WorkUnit unit, HashAlgorithm alg, RangeHasher hasher) {
    Path file = unit.path().equals(".") ? model : model.resolve(unit.path());
    // Read-only open: no code path here may ever write to a model file.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.position(unit.start());
      return hasher.hash(ch, unit.length(), alg, unit.resourceName());
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
