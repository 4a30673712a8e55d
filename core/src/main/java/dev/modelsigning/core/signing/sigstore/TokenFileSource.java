package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.InvalidInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A token in a file, such as a Kubernetes/Kubeflow projected service-account token. The kubelet
 * rotates those files, so the file is read again on every call.
 */
public final class TokenFileSource implements IdentityTokenSource {
  /** Reads the whole file; throws {@link NoSuchFileException} or {@link FileNotFoundException}. */
  @FunctionalInterface
  public interface Reader {
    byte[] read() throws IOException;
  }

  private final String description;
  private final Reader reader;

  public TokenFileSource(Path file) {
    this("token file " + file, () -> Files.readAllBytes(file));
  }

  /**
   * A token file read some other way (e.g. from object storage, with the worker's credentials).
   *
   * @param description names the file, never its content
   */
  public TokenFileSource(String description, Reader reader) {
    this.description = description;
    this.reader = reader;
  }

  @Override
  public String token() {
    String token;
    try {
      token = new String(reader.read(), StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw new TokenUnavailableException(describe() + " does not exist");
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
    return description;
  }
}
