package dev.modelsigning.core.testing;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** An RFC 6962 Merkle tree of log entries, with audit paths. Small and slow on purpose. */
final class MerkleTree {
  private final List<byte[]> leafHashes = new ArrayList<>();

  static byte[] leafHash(byte[] entry) {
    return sha256(new byte[] {0}, entry);
  }

  synchronized int append(byte[] entry) {
    leafHashes.add(leafHash(entry));
    return leafHashes.size() - 1;
  }

  synchronized int size() {
    return leafHashes.size();
  }

  synchronized byte[] rootHash(int treeSize) {
    return hash(0, treeSize);
  }

  /** PATH(m, D[0:n]) from RFC 6962 section 2.1.1. */
  synchronized List<byte[]> inclusionProof(int index, int treeSize) {
    List<byte[]> path = new ArrayList<>();
    path(index, 0, treeSize, path);
    return path;
  }

  private void path(int m, int lo, int hi, List<byte[]> out) {
    int n = hi - lo;
    if (n <= 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(m, lo, lo + k, out);
      out.add(hash(lo + k, hi));
    } else {
      path(m - k, lo + k, hi, out);
      out.add(hash(lo, lo + k));
    }
  }

  private byte[] hash(int lo, int hi) {
    int n = hi - lo;
    if (n == 0) {
      return sha256(new byte[0]);
    }
    if (n == 1) {
      return leafHashes.get(lo);
    }
    int k = largestPowerOfTwoBelow(n);
    return sha256(new byte[] {1}, hash(lo, lo + k), hash(lo + k, hi));
  }

  private static int largestPowerOfTwoBelow(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
