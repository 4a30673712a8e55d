package dev.modelsigning.core.signing.sigstore;

import java.net.URI;

final class Urls {
  private Urls() {}

  /** Appends a relative path to a base URL that may or may not end in '/'. */
  static URI resolve(URI base, String relative) {
    String text = base.toString();
    return URI.create(text.endsWith("/") ? text + relative : text + "/" + relative);
  }
}
