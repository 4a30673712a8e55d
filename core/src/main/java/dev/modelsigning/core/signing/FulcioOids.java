package dev.modelsigning.core.signing;

/**
 * Object identifiers of the X.509 extensions Fulcio writes into its signing certificates (see
 * Fulcio's docs/oid-info.md). Here, in the signing package, because both the keyless verifier
 * (signing.sigstore) and {@link SignatureOwnership} read them.
 */
public final class FulcioOids {
  /** The OIDC issuer as a DER UTF8String (Fulcio since 2022). */
  public static final String ISSUER = "1.3.6.1.4.1.57264.1.8";

  /** The OIDC issuer as raw UTF-8 bytes (deprecated; Fulcio still writes it beside the other). */
  public static final String LEGACY_ISSUER = "1.3.6.1.4.1.57264.1.1";

  /** otherName SAN type for a username identity, holding a UTF8String. */
  public static final String USERNAME = "1.3.6.1.4.1.57264.1.7";

  private FulcioOids() {}
}
