package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A token in a file, such as a Kubernetes/Kubeflow projected service-account token. The kubelet
 * rotates those files, so the file is read again on every call.
 */
public final class TokenFileSource implements IdentityTokenSource {
  private final Path file;

  public TokenFileSource(Path file) {
    this.file = file;
  }

  @Override
  public String token() {
    if (!Files.exists(file)) {
      throw new TokenUnavailableException(describe() + " does not exist");
    }
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new InvalidInputException("could not read " + describe() + ": " + e.getMessage(), e);
    }
    if (token.isEmpty()) {
      throw new InvalidInputException(describe() + " is empty");
    }
    return token;
  }

  @Override
  public String describe() {
    return "token file " + file;
  }
}
