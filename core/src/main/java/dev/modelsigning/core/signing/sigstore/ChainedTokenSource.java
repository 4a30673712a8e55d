package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Tries sources in order; the first that is configured wins. A configured source that fails (for
 * example a metadata server that answers 403) is an error, not a reason to fall through: silently
 * signing as a different identity would be worse than stopping.
 */
public final class ChainedTokenSource implements IdentityTokenSource {
  private final List<IdentityTokenSource> sources;

  public ChainedTokenSource(List<IdentityTokenSource> sources) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("a token chain needs at least one source");
    }
    this.sources = List.copyOf(sources);
  }

  /** The ambient sources in the order CI and cloud workers provide them. */
  public static ChainedTokenSource ambient() {
    return new ChainedTokenSource(
        List.of(
            new EnvironmentTokenSource(),
            new GitHubActionsTokenSource(),
            new GcpMetadataTokenSource()));
  }

  @Override
  public String token() {
    List<String> tried = new ArrayList<>();
    for (IdentityTokenSource source : sources) {
      try {
        return source.token();
      } catch (TokenUnavailableException e) {
        tried.add(e.getMessage());
      }
    }
    throw new InvalidInputException("no identity token found; tried: " + String.join("; ", tried));
  }

  @Override
  public String describe() {
    return sources.stream()
        .map(IdentityTokenSource::describe)
        .collect(Collectors.joining(", ", "first of [", "]"));
  }
}
