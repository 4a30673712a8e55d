package dev.modelsigning.core.verify;

/** When a certificate chain must be valid for a {@code certificate}-method signature to count. */
public enum ValidityCheck {
  /** OMS v1.0 and the default here: every certificate must be valid now. */
  CURRENT_TIME,
  /**
   * model_signing's behaviour: the chain is checked at the leaf's notBefore, so a signature stays
   * valid after its short-lived certificate expires (there is no timestamp to prove when it was
   * made, so this trusts the signer not to back-date).
   */
  AT_NOT_BEFORE
}
