package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.ModelSigningException;
import java.net.URI;

/**
 * A Sigstore service (Fulcio, Rekor, a timestamp authority, a token endpoint) could not be reached
 * or refused a request. The message names the URL and HTTP status; it never contains a token.
 */
public class SigstoreServiceException extends ModelSigningException {
  private final URI url;
  private final int status;

  public SigstoreServiceException(URI url, int status, String message) {
    super(message);
    this.url = url;
    this.status = status;
  }

  public SigstoreServiceException(URI url, String message, Throwable cause) {
    super(message, cause);
    this.url = url;
    this.status = 0;
  }

  /** The URL that was called. */
  public URI url() {
    return url;
  }

  /** The HTTP status, or 0 when no response was received. */
  public int status() {
    return status;
  }
}
