package dev.modelsigning.core.format;

/**
 * A DSSE envelope with its single signature.
 *
 * @param payload the exact signed statement bytes
 * @param payloadType the declared payload type
 * @param signature DER ECDSA signature over {@link Dsse#pae}
 * @param keyId the signature's keyid ("" when unset)
 */
public record DsseEnvelope(byte[] payload, String payloadType, byte[] signature, String keyId) {
  public DsseEnvelope {
    payload = payload.clone();
    signature = signature.clone();
    keyId = keyId == null ? "" : keyId;
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The bytes the signature covers. */
  public byte[] signedBytes() {
    return Dsse.pae(payloadType, payload);
  }
}
