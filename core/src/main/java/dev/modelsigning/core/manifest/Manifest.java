package dev.modelsigning.core.manifest;

import dev.modelsigning.core.hashing.HashAlgorithm;
import java.io.Serializable;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What gets signed: the model's name, how it was serialized, and its resource digests in order.
 *
 * @param modelName the subject name (basename of the model path)
 * @param settings how resources were produced
 * @param resources resource digests, in the order they are listed and hashed into the subject
 */
public record Manifest(
    String modelName, SerializationSettings settings, List<ResourceDigest> resources)
    implements Serializable {

  public Manifest {
    resources = List.copyOf(resources);
  }

  /** Builds a manifest from hashed units, putting them in model_signing's resource order. */
  public static Manifest fromUnits(
      String modelName, SerializationSettings settings, Map<WorkUnit, byte[]> digests) {
    List<WorkUnit> units = new ArrayList<>(digests.keySet());
    units.sort(WorkUnit.RESOURCE_ORDER);
    String algorithm = settings.resourceAlgorithm();
    List<ResourceDigest> resources = new ArrayList<>(units.size());
    for (WorkUnit u : units) {
      byte[] digest = Objects.requireNonNull(digests.get(u), "u is a key of digests");
      resources.add(new ResourceDigest(u.resourceName(), algorithm, digest));
    }
    return new Manifest(modelName, settings, resources);
  }

  /** SHA-256 over the concatenated raw resource digests, in listed order. */
  public byte[] subjectDigest() {
    MessageDigest sha = HashAlgorithm.sha256();
    for (ResourceDigest r : resources) {
      sha.update(r.digest());
    }
    return sha.digest();
  }

  public String subjectDigestHex() {
    return java.util.HexFormat.of().formatHex(subjectDigest());
  }
}
