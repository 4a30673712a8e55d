package dev.modelsigning.core.hashing;

import dev.modelsigning.core.InvalidInputException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake3Digest;

/** The content hashes model_signing supports, named as they appear in the statement. */
public enum HashAlgorithm {
  SHA256("sha256"),
  /** BLAKE2b with a 64-byte digest, as Python's {@code hashlib.blake2b()} defaults to. */
  BLAKE2B("blake2b"),
  /**
   * BLAKE3 with its default 32-byte output, as model_signing v1.1 ({@code blake3} package) writes
   * it. Whole files only: see {@link #supportsShards()}.
   */
  BLAKE3("blake3");

  private final String label;

  HashAlgorithm(String label) {
    this.label = label;
  }

  /** The name used in {@code hash_type} and in resource {@code algorithm}. */
  public String label() {
    return label;
  }

  public static HashAlgorithm fromLabel(String label) {
    for (HashAlgorithm a : values()) {
      if (a.label.equals(label)) {
        return a;
      }
    }
    throw new InvalidInputException(
        "unsupported hash algorithm '"
            + label
            + "' (supported: "
            + Arrays.stream(values()).map(HashAlgorithm::label).collect(Collectors.joining(", "))
            + ")");
  }

  /**
   * Whether the shards method may use this hash. model_signing v1.1 never shards BLAKE3 (it asks
   * for shards with blake3 and gets whole files, since BLAKE3 parallelizes inside a file), so a
   * BLAKE3 shard manifest is one no model_signing release writes or verifies.
   */
  public boolean supportsShards() {
    return this != BLAKE3;
  }

  /** The digest size in bytes: 32 for SHA-256 and BLAKE3, 64 for BLAKE2b-512. */
  public int digestLength() {
    return switch (this) {
      case SHA256, BLAKE3 -> 32;
      case BLAKE2B -> 64;
    };
  }

  public Digester newDigester() {
    return switch (this) {
      case SHA256 -> new JdkDigester(sha256());
      case BLAKE2B -> new BouncyCastleDigester(new Blake2bDigest(512));
      case BLAKE3 -> new BouncyCastleDigester(new Blake3Digest(256));
    };
  }

  /** SHA-256 from the JDK, which uses the CPU's SHA extensions where present. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
