package dev.modelsigning.core.manifest;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The digest of one resource, as listed in the statement.
 *
 * @param name file path, or {@code path:start:end} for a shard
 * @param algorithm {@code sha256}, {@code blake2b} or {@code <hash>-sharded-<N>}
 * @param digest raw digest bytes
 */
public record ResourceDigest(String name, String algorithm, byte[] digest) implements Serializable {
  public ResourceDigest {
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(digest);
  }

  public boolean sameDigest(ResourceDigest other) {
    return Arrays.equals(digest, other.digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceDigest r
        && name.equals(r.name)
        && algorithm.equals(r.algorithm)
        && Arrays.equals(digest, r.digest);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return name + ":" + algorithm + ":" + hex();
  }
}
