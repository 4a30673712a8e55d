package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.VerificationException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A transparency log checkpoint in the C2SP signed-note format: the note text (origin, tree size,
 * base64 root hash, optional extra lines) and, after one blank line, signature lines {@code "— <key
 * name> base64(<4-byte key hint> <signature>)"}. Rekor v1 and v2 both write it; witnesses may add
 * their own signature lines, which are parsed but only trusted if a trusted key matches.
 *
 * @param noteText the signed text, ending in its final newline (what every signature covers)
 */
record SignedCheckpoint(
    String noteText,
    String origin,
    long treeSize,
    byte[] rootHash,
    List<NoteSignature> signatures) {

  private static final String SEPARATOR = "\n\n";
  private static final String SIGNATURE_PREFIX = "\u2014 ";

  /** One signature line. */
  record NoteSignature(String keyName, byte[] keyHint, byte[] signature) {}

  static SignedCheckpoint parse(String envelope) {
    int split = envelope.indexOf(SEPARATOR);
    if (split < 0 || envelope.indexOf(SEPARATOR, split + 1) >= 0) {
      throw malformed("it must have exactly one blank line between the text and the signatures");
    }
    String text = envelope.substring(0, split + 1);
    String signatureBlock = envelope.substring(split + SEPARATOR.length());
    if (signatureBlock.isEmpty() || !signatureBlock.endsWith("\n")) {
      throw malformed("the signature block must be non-empty and end with a newline");
    }
    List<NoteSignature> signatures = new ArrayList<>();
    for (String line : signatureBlock.substring(0, signatureBlock.length() - 1).split("\n", -1)) {
      signatures.add(signatureLine(line));
    }

    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw malformed("the text needs an origin, a tree size and a root hash");
    }
    if (lines[0].isEmpty()) {
      throw malformed("the origin line is empty");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw malformed("the tree size '" + lines[1] + "' is not a number");
    }
    if (size < 0 || !lines[1].equals(Long.toString(size))) {
      throw malformed("the tree size '" + lines[1] + "' is not a canonical decimal");
    }
    byte[] root = base64(lines[2], "root hash");
    if (root.length != 32) {
      throw malformed("the root hash is " + root.length + " bytes, not 32");
    }
    return new SignedCheckpoint(text, lines[0], size, root, List.copyOf(signatures));
  }

  private static NoteSignature signatureLine(String line) {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw malformed("signature line '" + line + "' does not start with an em dash and a space");
    }
    String[] parts = line.substring(SIGNATURE_PREFIX.length()).split(" ", -1);
    if (parts.length != 2 || parts[0].isEmpty()) {
      throw malformed("signature line '" + line + "' is not '<key name> <base64 signature>'");
    }
    byte[] raw = base64(parts[1], "signature");
    if (raw.length < 5) {
      throw malformed("a signature of " + parts[0] + " is too short to hold a key hint");
    }
    byte[] hint = java.util.Arrays.copyOfRange(raw, 0, 4);
    byte[] signature = java.util.Arrays.copyOfRange(raw, 4, raw.length);
    return new NoteSignature(parts[0], hint, signature);
  }

  private static byte[] base64(String text, String what) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed("the " + what + " is not valid base64");
    }
  }

  private static VerificationException malformed(String why) {
    return new VerificationException("transparency log checkpoint is malformed: " + why);
  }
}
