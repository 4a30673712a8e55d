package dev.modelsigning.core.format;

/** Constants of the in-toto statement model_signing signs. */
public final class Statement {
  public static final String TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";

  /**
   * model_signing v0.2's per-file predicate: verified (see {@link StatementFormat}), never signed.
   */
  public static final String LEGACY_PREDICATE_TYPE = "https://model_signing/Digests/v0.1";

  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";

  private Statement() {}
}
