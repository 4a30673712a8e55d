package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.format.Json;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.tuf.SigstoreTufClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The roots a keyless bundle is checked against: Fulcio CAs, Rekor and CT log keys, timestamp
 * authorities. Either the public instances (fetched and refreshed over TUF, so online) or a file.
 */
public final class SigstoreTrustRoot {

  private final String description;
  private final TrustedRootProvider provider;
  private @Nullable TrustedMaterial material;

  private SigstoreTrustRoot(String description, TrustedRootProvider provider) {
    this.description = description;
    this.provider = provider;
  }

  /** Sigstore public good, via TUF (needs network access to the TUF repository). */
  public static SigstoreTrustRoot publicGood() {
    return new SigstoreTrustRoot(
        "Sigstore public-good trust root (TUF)",
        TrustedRootProvider.from(SigstoreTufClient.builder().usePublicGoodInstance()));
  }

  /** Sigstore staging, via TUF. */
  public static SigstoreTrustRoot staging() {
    return new SigstoreTrustRoot(
        "Sigstore staging trust root (TUF)",
        TrustedRootProvider.from(SigstoreTufClient.builder().useStagingInstance()));
  }

  /**
   * A {@code trusted_root.json}, or a {@code ClientTrustConfig} (as model_signing's {@code
   * --trust_config} takes) whose {@code trustedRoot} is used. Read once, here.
   */
  public static SigstoreTrustRoot fromFile(Path path) {
    try {
      return fromJson(Files.readAllBytes(path), "trust root " + path);
    } catch (IOException e) {
      throw new InvalidInputException(
          "could not read trust root " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The same from bytes already read (a trusted root shipped to a worker).
   *
   * @param description where the bytes came from, for messages
   */
  public static SigstoreTrustRoot fromJson(byte[] json, String description) {
    byte[] trustedRoot;
    try {
      JsonNode root = Json.MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw new InvalidInputException(description + " is not a JSON object");
      }
      if (root.has("trustedRoot")) {
        root = root.get("trustedRoot");
      }
      trustedRoot = Json.write(root);
    } catch (IOException e) {
      throw new InvalidInputException("could not read " + description + ": " + e.getMessage(), e);
    }
    SigstoreTrustRoot result =
        new SigstoreTrustRoot(
            description, () -> SigstoreTrustedRoot.from(new ByteArrayInputStream(trustedRoot)));
    result.material(); // fail now, naming the source, rather than at the first verification
    return result;
  }

  SigstoreTrustedRoot load() {
    try {
      return provider.get();
    } catch (SigstoreConfigurationException | RuntimeException e) {
      throw new InvalidInputException("could not load " + description + ": " + e.getMessage(), e);
    }
  }

  /** The loaded, checked root; loaded once (a TUF root is fetched at the first call). */
  synchronized TrustedMaterial material() {
    if (material == null) {
      material = TrustedMaterial.of(load(), description);
    }
    return material;
  }

  TrustedRootProvider provider() {
    return provider;
  }

  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return describe();
  }
}
