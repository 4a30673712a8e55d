package dev.modelsigning.core.manifest;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.model.ResourceNames;
import java.io.Serializable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a model was turned into resources; recorded in the statement so a verifier can redo it.
 *
 * @param method files or shards
 * @param hashAlgorithm the content hash
 * @param shardSize bytes per shard; 0 for the files method
 * @param allowSymlinks whether symlinks to files were followed
 * @param ignorePaths ignored paths (stored sorted by code point, without duplicates), or null when
 *     the signer did not record them (before model_signing v1.1)
 */
public record SerializationSettings(
    HashingMethod method,
    HashAlgorithm hashAlgorithm,
    long shardSize,
    boolean allowSymlinks,
    @Nullable List<String> ignorePaths)
    implements Serializable {

  /** model_signing's default shard size: 10^9 bytes. */
  public static final long DEFAULT_SHARD_SIZE = 1_000_000_000L;

  public SerializationSettings {
    if (method == HashingMethod.SHARDS && shardSize <= 0) {
      throw new InvalidInputException("shard size must be a positive number of bytes");
    }
    if (method == HashingMethod.FILES) {
      shardSize = 0;
    }
    if (method == HashingMethod.SHARDS && !hashAlgorithm.supportsShards()) {
      throw new InvalidInputException(
          hashAlgorithm.label()
              + " cannot be used with the shards method: model_signing hashes whole files with "
              + hashAlgorithm.label()
              + " (it turns shards into files), so no model_signing release could verify such a"
              + " signature; use the files method");
    }
    // The contract records ignore_paths sorted (code point order) and without duplicates, so the
    // same settings always serialize to the same bytes whatever order the caller listed them in.
    ignorePaths =
        ignorePaths == null
            ? null
            : ignorePaths.stream().distinct().sorted(ResourceNames::compareCodePoints).toList();
  }

  public static SerializationSettings files(
      HashAlgorithm hash, boolean allowSymlinks, @Nullable List<String> ignorePaths) {
    return new SerializationSettings(HashingMethod.FILES, hash, 0, allowSymlinks, ignorePaths);
  }

  public static SerializationSettings shards(
      HashAlgorithm hash,
      long shardSize,
      boolean allowSymlinks,
      @Nullable List<String> ignorePaths) {
    return new SerializationSettings(
        HashingMethod.SHARDS, hash, shardSize, allowSymlinks, ignorePaths);
  }

  /** The label of every resource: {@code sha256}, or {@code sha256-sharded-<N>} for shards. */
  public String resourceAlgorithm() {
    return method == HashingMethod.SHARDS
        ? hashAlgorithm.label() + "-sharded-" + shardSize
        : hashAlgorithm.label();
  }
}
