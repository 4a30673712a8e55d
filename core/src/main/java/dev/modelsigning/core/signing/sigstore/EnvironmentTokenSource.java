package dev.modelsigning.core.signing.sigstore;

import java.util.function.Function;

/** A token in an environment variable; {@code SIGSTORE_ID_TOKEN} by convention. */
public final class EnvironmentTokenSource implements IdentityTokenSource {
  public static final String DEFAULT_VARIABLE = "SIGSTORE_ID_TOKEN";

  private final String variable;
  private final Function<String, String> env;

  public EnvironmentTokenSource() {
    this(DEFAULT_VARIABLE, System::getenv);
  }

  /** For tests and embedders: {@code env} looks up a variable, returning null when unset. */
  public EnvironmentTokenSource(String variable, Function<String, String> env) {
    this.variable = variable;
    this.env = env;
  }

  @Override
  public String token() {
    String value = env.apply(variable);
    if (value == null || value.isBlank()) {
      throw new TokenUnavailableException(describe() + " is not set");
    }
    return value.strip();
  }

  @Override
  public String describe() {
    return "environment variable " + variable;
  }
}
