package dev.modelsigning.core.hashing;

import dev.modelsigning.core.InvalidInputException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** The content hashes model_signing supports, named as they appear in the statement. */
public enum HashAlgorithm {
  SHA256("sha256"),
  /** BLAKE2b with a 64-byte digest, as Python's {@code hashlib.blake2b()} defaults to. */
  BLAKE2B("blake2b");

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
        "unsupported hash algorithm '" + label + "' (supported: sha256, blake2b)");
  }

  /** The digest size in bytes: 32 for SHA-256, 64 for BLAKE2b-512. */
  public int digestLength() {
    return switch (this) {
      case SHA256 -> 32;
      case BLAKE2B -> 64;
    };
  }

  public Digester newDigester() {
    return switch (this) {
      case SHA256 -> new JdkDigester(sha256());
      case BLAKE2B -> new BouncyCastleDigester(new Blake2bDigest(512));
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
