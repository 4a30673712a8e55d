package dev.modelsigning.core.signing.sigstore;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * A Rekor log (v1 or v2) as a trust root lists it: base URL, log id, public key and the window in
 * which that key may vouch for entries.
 */
record TrustedLog(
    URI baseUrl,
    byte[] logId,
    PublicKey key,
    String keyDetails,
    Instant validFrom,
    Optional<Instant> validUntil) {

  private static final String RSA_NOTE_TYPE = "PKIX-RSA-PKCS#1v1.5";

  String describe() {
    return "transparency log " + baseUrl;
  }

  /** Whether the key may vouch for something at {@code time} (both ends inclusive). */
  boolean validAt(Instant time) {
    return !time.isBefore(validFrom) && validUntil.map(end -> !time.isAfter(end)).orElse(true);
  }

  String describeValidity() {
    return validFrom + " to " + validUntil.map(Instant::toString).orElse("(no end)");
  }

  /**
   * The key name a checkpoint signature may carry: the log's host (Rekor v1 writes that), or its
   * host and port, or the whole scheme-less URL (the Rekor v2 origin).
   */
  boolean isKeyName(String name) {
    String plain = baseUrl.toString().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    if (plain.endsWith("/")) {
      plain = plain.substring(0, plain.length() - 1);
    }
    return name.equals(baseUrl.getHost())
        || name.equals(baseUrl.getRawAuthority())
        || name.equals(plain);
  }

  /**
   * The checkpoint key id for signatures made under {@code keyName}, as the C2SP signed-note spec
   * and rekor-tiles compute it: Ed25519 SHA-256(name || '\n' || 0x01 || key); RSA SHA-256(name ||
   * '\n' || 0xff || "PKIX-RSA-PKCS#1v1.5" || SPKI); ECDSA (Rekor's deviation) SHA-256(SPKI). Its
   * first four bytes are the hint on the signature line; the whole is the Rekor v2 log id.
   */
  byte[] checkpointKeyId(String keyName) {
    byte[] name = (keyName + "\n").getBytes(StandardCharsets.UTF_8);
    switch (key.getAlgorithm()) {
      case "Ed25519":
      case "EdDSA":
        byte[] spki = key.getEncoded();
        return MerkleInclusion.sha256(
            name, new byte[] {1}, Arrays.copyOfRange(spki, spki.length - 32, spki.length));
      case "RSA":
        return MerkleInclusion.sha256(
            name,
            new byte[] {(byte) 0xff},
            RSA_NOTE_TYPE.getBytes(StandardCharsets.US_ASCII),
            key.getEncoded());
      default:
        return MerkleInclusion.sha256(key.getEncoded());
    }
  }

  /** Whether {@code signature} by this log's key covers {@code data}. */
  boolean verifies(byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(signatureAlgorithm());
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  boolean logIdEquals(byte[] other) {
    return MessageDigest.isEqual(logId, other);
  }

  private String signatureAlgorithm() {
    String algorithm = key.getAlgorithm();
    if (algorithm.equals("Ed25519") || algorithm.equals("EdDSA")) {
      return "Ed25519";
    }
    String details = keyDetails == null ? "" : keyDetails;
    String hash =
        details.contains("SHA_384") ? "SHA384" : details.contains("SHA_512") ? "SHA512" : "SHA256";
    return algorithm.equals("RSA") ? hash + "withRSA" : hash + "withECDSA";
  }
}
