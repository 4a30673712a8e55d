package dev.modelsigning.core.format;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A parsed Sigstore bundle carrying a DSSE envelope.
 *
 * @param mediaType the declared bundle media type
 * @param material how to check the signature
 * @param tlogEntries transparency log entries (an empty array for key and certificate bundles)
 * @param envelope the DSSE envelope
 * @param json the bundle bytes as read, for verifiers (sigstore-java) that parse it themselves
 */
public record SigstoreBundle(
    String mediaType,
    VerificationMaterial material,
    JsonNode tlogEntries,
    DsseEnvelope envelope,
    byte[] json) {

  public static final String MEDIA_TYPE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

  @Override
  public byte[] json() {
    return json.clone();
  }
}
