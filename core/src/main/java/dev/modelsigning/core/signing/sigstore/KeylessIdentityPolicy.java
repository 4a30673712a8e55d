package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.InvalidInputException;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Who must have signed: the certificate identity (email, URI or other SAN value) and the OIDC
 * issuer Fulcio recorded, each given exactly or as a regular expression that must match the whole
 * value (cosign's {@code --certificate-identity-regexp}), and the trust root the certificate and
 * log entry must chain to.
 */
public record KeylessIdentityPolicy(Match identity, Match issuer, SigstoreTrustRoot trustRoot) {
  public KeylessIdentityPolicy {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(trustRoot, "trustRoot");
  }

  /** Exact identity and exact issuer. */
  public KeylessIdentityPolicy(String identity, String issuer, SigstoreTrustRoot trustRoot) {
    this(Match.exactly(identity), Match.exactly(issuer), trustRoot);
  }

  /** An expected value: a literal, or a regular expression over the whole value. */
  public static final class Match {
    private final String text;
    private final @Nullable Pattern pattern;

    private Match(String text, @Nullable Pattern pattern) {
      this.text = Objects.requireNonNull(text);
      this.pattern = pattern;
    }

    public static Match exactly(String value) {
      return new Match(Objects.requireNonNull(value, "value"), null);
    }

    /**
     * @throws InvalidInputException if {@code regexp} is not a valid Java regular expression
     */
    public static Match regexp(String regexp) {
      Objects.requireNonNull(regexp, "regexp");
      try {
        return new Match(regexp, Pattern.compile(regexp));
      } catch (PatternSyntaxException e) {
        throw new InvalidInputException(
            "'" + regexp + "' is not a valid regular expression: " + e.getDescription(), e);
      }
    }

    public boolean matches(@Nullable String value) {
      if (value == null) {
        return false;
      }
      return pattern == null ? text.equals(value) : pattern.matcher(value).matches();
    }

    public boolean isRegexp() {
      return pattern != null;
    }

    /** The literal or the expression as given. */
    public String text() {
      return text;
    }

    @Override
    public String toString() {
      return pattern == null ? "'" + text + "'" : "matching /" + text + "/";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Match m && text.equals(m.text) && isRegexp() == m.isRegexp();
    }

    @Override
    public int hashCode() {
      return Objects.hash(text, isRegexp());
    }
  }
}
