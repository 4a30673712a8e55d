package dev.modelsigning.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;

/**
 * The {@code publicKey.hint} model_signing v1.1+ writes: lowercase hex SHA-256 of the key's PEM
 * text exactly as Python {@code cryptography} serializes a SubjectPublicKeyInfo. Any other PEM
 * layout (CRLF, other line width, no trailing newline) gives a different hint, so the text is
 * rebuilt here rather than taken from the user's file.
 */
public final class PublicKeyHint {
  private PublicKeyHint() {}

  public static String of(PublicKey key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(pem(key).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * {@code -----BEGIN PUBLIC KEY-----\n}, base64 at 64 columns, {@code \n}, END line, {@code \n}.
   */
  public static String pem(PublicKey key) {
    return Pem.encode("PUBLIC KEY", PemKeys.canonicalSpki(key));
  }
}
