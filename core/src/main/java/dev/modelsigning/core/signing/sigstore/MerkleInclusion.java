package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.VerificationException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** RFC 6962 / RFC 9162 Merkle tree hashing and inclusion proof verification (SHA-256). */
final class MerkleInclusion {
  private MerkleInclusion() {}

  /** The leaf hash of a log entry: SHA-256(0x00 || entry). */
  static byte[] leafHash(byte[] entry) {
    return sha256(new byte[] {0}, entry);
  }

  /**
   * Checks that the leaf at {@code index} is in the tree of {@code treeSize} leaves whose root is
   * {@code root} (RFC 9162 section 2.1.3.2).
   */
  static void verify(byte[] leafHash, long index, long treeSize, List<byte[]> proof, byte[] root) {
    if (index < 0 || treeSize <= 0 || index >= treeSize) {
      throw new VerificationException(
          "inclusion proof: log index " + index + " is outside a tree of " + treeSize + " leaves");
    }
    long fn = index;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (p.length != 32) {
        throw new VerificationException(
            "inclusion proof: a hash is " + p.length + " bytes, not 32");
      }
      if (sn == 0) {
        throw new VerificationException(
            "inclusion proof: " + proof.size() + " hashes is too many for this tree");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = sha256(new byte[] {1}, p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = sha256(new byte[] {1}, r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new VerificationException(
          "inclusion proof: " + proof.size() + " hashes is too few for this tree");
    }
    if (!MessageDigest.isEqual(r, root)) {
      throw new VerificationException(
          "inclusion proof: the entry's audit path does not lead to the checkpoint's root hash");
    }
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
