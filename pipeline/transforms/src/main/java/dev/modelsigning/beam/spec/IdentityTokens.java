package dev.modelsigning.beam.spec;

import dev.modelsigning.beam.io.MissingFileException;
import dev.modelsigning.core.signing.sigstore.ChainedTokenSource;
import dev.modelsigning.core.signing.sigstore.EnvironmentTokenSource;
import dev.modelsigning.core.signing.sigstore.GcpMetadataTokenSource;
import dev.modelsigning.core.signing.sigstore.GitHubActionsTokenSource;
import dev.modelsigning.core.signing.sigstore.IdentityTokenSource;
import dev.modelsigning.core.signing.sigstore.TokenFileSource;
import java.io.FileNotFoundException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the signing worker gets its OIDC identity token. The token itself never enters the graph: a
 * token file is read on the worker, with its credentials, each time a token is needed.
 *
 * @param source which sources to try
 * @param tokenFile the token file for {@link Source#FILE} (and tried first by {@link Source#AUTO}),
 *     or null
 */
public record IdentityTokens(Source source, @Nullable SecretFile tokenFile)
    implements Serializable {

  /** The {@code --identityTokenSource} choices. */
  public enum Source {
    AUTO("auto"),
    FILE("file"),
    ENV("env"),
    GITHUB("github"),
    GCP_METADATA("gcp-metadata");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Source fromLabel(String label) {
      for (Source s : values()) {
        if (s.label.equals(label)) {
          return s;
        }
      }
      throw new dev.modelsigning.core.InvalidInputException(
          "unknown --identityTokenSource '"
              + label
              + "' (auto, file, env, github or gcp-metadata)");
    }
  }

  /** The sources, in the order they are tried. */
  public IdentityTokenSource tokenSource() {
    List<IdentityTokenSource> sources = new ArrayList<>();
    boolean auto = source == Source.AUTO;
    if ((auto || source == Source.FILE) && tokenFile != null) {
      sources.add(
          new TokenFileSource(
              "token file " + tokenFile.describe(), () -> readTokenFile(tokenFile)));
    }
    if (auto || source == Source.ENV) {
      sources.add(new EnvironmentTokenSource());
    }
    if (auto || source == Source.GITHUB) {
      sources.add(new GitHubActionsTokenSource());
    }
    if (auto || source == Source.GCP_METADATA) {
      sources.add(new GcpMetadataTokenSource());
    }
    return new ChainedTokenSource(sources);
  }

  /** A missing file means "no token here" (auto then tries the next source), not a bad option. */
  private static byte[] readTokenFile(SecretFile file) throws FileNotFoundException {
    try {
      return file.read();
    } catch (MissingFileException e) {
      throw new FileNotFoundException(file.location());
    }
  }

  public String describe() {
    return source.label() + (tokenFile == null ? "" : " (" + tokenFile.describe() + ")");
  }
}
