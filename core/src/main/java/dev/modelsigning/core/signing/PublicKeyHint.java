package dev.modelsigning.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The {@code publicKey.hint} model_signing v1.1+ writes: lowercase hex SHA-256 of the key's PEM
 * text exactly as Python {@code cryptography} serializes a SubjectPublicKeyInfo. Any other PEM
 * layout (CRLF, other line width, no trailing newline) gives a different hint, so the text is
 * rebuilt here rather than taken from the user's file.
 */
public final class PublicKeyHint {
  private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

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
    return "-----BEGIN PUBLIC KEY-----\n"
        + PEM_BASE64.encodeToString(PemKeys.canonicalSpki(key))
        + "\n-----END PUBLIC KEY-----\n";
  }
}
