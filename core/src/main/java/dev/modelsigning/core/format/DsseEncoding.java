package dev.modelsigning.core.format;

/** Which bytes a DSSE signature was found to cover. */
public enum DsseEncoding {
  /** The DSSE v1 pre-authentication encoding ({@link Dsse#pae}): every signer since v0.3. */
  STANDARD,
  /**
   * model_signing v0.2's faulty encoding ({@link Dsse#legacyV02Pae}), hashed with SHA-256 whatever
   * the curve. Accepted only for v0.2's own predicate ({@link Statement#LEGACY_PREDICATE_TYPE}).
   */
  LEGACY_V0_2
}
