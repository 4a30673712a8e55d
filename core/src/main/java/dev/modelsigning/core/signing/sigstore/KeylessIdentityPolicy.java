package dev.modelsigning.core.signing.sigstore;

import java.util.Objects;

/**
 * Who must have signed: the exact certificate identity (email, URI or other SAN value), the exact
 * OIDC issuer recorded by Fulcio, and the trust root the certificate and log entry must chain to.
 */
public record KeylessIdentityPolicy(String identity, String issuer, SigstoreTrustRoot trustRoot) {
  public KeylessIdentityPolicy {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(trustRoot, "trustRoot");
  }
}
