package dev.modelsigning.core.signing.sigstore;

/**
 * Which entry a keyless signer asks a Rekor v2 log to record for a DSSE envelope.
 *
 * <p>{@link #HASHEDREKORD} is the default: Rekor v2 (rekor-tiles) dropped DSSE entries in June 2026
 * and takes a {@code hashedrekord} over the hash of the envelope's PAE instead; sigstore-python
 * 4.3+ (so model_signing 1.1+) and {@code @sigstore/verify} 4.1+ verify it. {@link #DSSE} writes
 * the older {@code dsse} 0.0.2 entry, for logs and verifiers from before that change (such as
 * {@code @sigstore/verify} 3.x, which cannot verify a DSSE bundle with a hashedrekord entry).
 */
public enum RekorV2Entry {
  HASHEDREKORD,
  DSSE
}
