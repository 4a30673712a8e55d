package dev.modelsigning.core.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.modelsigning.core.signing.sigstore.SigstoreInstance;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fulcio, Rekor v1, optionally Rekor v2, and an RFC 3161 TSA on 127.0.0.1, each on its own
 * ephemeral port, with real keys, certificates, SCTs, Merkle proofs and signed checkpoints; plus
 * the {@code trusted_root.json} and {@code signing_config.json} that describe them. With Rekor v2
 * both logs are in the trust root and the signing config lists both, v2 with {@code
 * majorApiVersion: 2}, so a client following the selection rules writes to v2.
 *
 * <pre>{@code
 * try (var issuer = new OidcTestIssuer();
 *     var sigstore = LoopbackSigstore.builder(issuer.issuerUrl()).start()) {
 *   ModelSigner signer = new SigstoreKeylessSigner(sigstore.instance(), ...);
 * }
 * }</pre>
 */
public final class LoopbackSigstore implements AutoCloseable {
  /** Builder; only the trusted OIDC issuer is required. */
  public static final class Builder {
    private final String trustedIssuer;
    private boolean intermediate = true;
    private boolean timestampAuthority = true;
    private boolean issueExpiredCertificates = false;
    private boolean rekorV2 = false;
    private boolean rekorV2Ecdsa = false;
    private Duration leafValidity = Duration.ofMinutes(10);
    private Instant integratedTime;
    private Path directory;

    private Builder(String trustedIssuer) {
      this.trustedIssuer = trustedIssuer;
    }

    /** Chain leaves to the root through an intermediate (default) or directly. */
    public Builder withIntermediate(boolean value) {
      this.intermediate = value;
      return this;
    }

    /** Run a TSA and list it in the trust root and signing config (default on). */
    public Builder withTimestampAuthority(boolean value) {
      this.timestampAuthority = value;
      return this;
    }

    /** Issue leaves whose validity ended before they were issued. */
    public Builder issueExpiredCertificates(boolean value) {
      this.issueExpiredCertificates = value;
      return this;
    }

    /** Also run a Rekor v2 log, listed in the trust root and (as major version 2) the config. */
    public Builder withRekorV2(boolean value) {
      this.rekorV2 = value;
      return this;
    }

    /** Sign the Rekor v2 checkpoints with ECDSA P-256 instead of Ed25519. */
    public Builder rekorV2Ecdsa(boolean value) {
      this.rekorV2Ecdsa = value;
      return this;
    }

    public Builder leafValidity(Duration value) {
      this.leafValidity = value;
      return this;
    }

    /** Record this integrated time for every log entry instead of the wall clock. */
    public Builder integratedTime(Instant value) {
      this.integratedTime = value;
      return this;
    }

    /** Where to write trusted_root.json and signing_config.json (default: a temp dir). */
    public Builder directory(Path value) {
      this.directory = value;
      return this;
    }

    public LoopbackSigstore start() {
      return new LoopbackSigstore(this);
    }
  }

  public static Builder builder(String trustedIssuer) {
    return new Builder(trustedIssuer);
  }

  private final LoopbackCertificateAuthority ca;
  private final LoopbackTransparencyLog log;
  private final LoopbackTimestampAuthority tsa;
  private final LoopbackRekorV2 rekorV2;
  private final List<HttpServer> servers = new ArrayList<>();
  private final URI fulcioUrl;
  private final URI rekorUrl;
  private final URI tsaUrl;
  private final URI rekorV2Url;
  private final Path trustedRoot;
  private final Path signingConfig;
  private Path ownedDirectory; // the temp directory this instance created, deleted on close
  private final String trustedIssuer;

  private LoopbackSigstore(Builder b) {
    this.trustedIssuer = b.trustedIssuer;
    this.ca =
        new LoopbackCertificateAuthority(
            b.trustedIssuer, b.intermediate, b.leafValidity, b.issueExpiredCertificates);
    this.log = new LoopbackTransparencyLog(b.integratedTime);
    this.tsa = b.timestampAuthority ? new LoopbackTimestampAuthority(ca.createdAt) : null;

    HttpServer fulcio = Http.serve(Map.of("/api/v2/signingCert", ca::handleSigningCert));
    servers.add(fulcio);
    fulcioUrl = URI.create(Http.baseUrl(fulcio));
    HttpServer rekor = Http.serve(Map.of("/api/v1/log/entries", log::handle));
    servers.add(rekor);
    rekorUrl = URI.create(Http.baseUrl(rekor));
    if (b.rekorV2) {
      rekorV2 =
          new LoopbackRekorV2(
              b.rekorV2Ecdsa
                  ? LoopbackRekorV2.KeyType.ECDSA_P256
                  : LoopbackRekorV2.KeyType.ED25519);
      HttpServer v2 = Http.serve(Map.of("/api/v2/log/entries", rekorV2::handle));
      servers.add(v2);
      rekorV2Url = URI.create(Http.baseUrl(v2));
      rekorV2.origin(rekorV2Url.getRawAuthority());
    } else {
      rekorV2 = null;
      rekorV2Url = null;
    }
    if (tsa != null) {
      HttpServer tsaServer = Http.serve(Map.of("/api/v1/timestamp", tsa::handle));
      servers.add(tsaServer);
      tsaUrl = URI.create(Http.baseUrl(tsaServer) + "/api/v1/timestamp");
    } else {
      tsaUrl = null;
    }

    try {
      ownedDirectory = b.directory == null ? Files.createTempDirectory("loopback-sigstore") : null;
      Path dir = ownedDirectory != null ? ownedDirectory : b.directory;
      Files.createDirectories(dir);
      trustedRoot = dir.resolve("trusted_root.json");
      signingConfig = dir.resolve("signing_config.json");
      Files.writeString(
          trustedRoot,
          Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(trustedRootJson()));
      Files.writeString(
          signingConfig,
          Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(signingConfigJson()));
    } catch (IOException e) {
      close();
      throw new IllegalStateException(e);
    }
  }

  public URI fulcioUrl() {
    return fulcioUrl;
  }

  public URI rekorUrl() {
    return rekorUrl;
  }

  public Optional<URI> tsaUrl() {
    return Optional.ofNullable(tsaUrl);
  }

  public Optional<URI> rekorV2Url() {
    return Optional.ofNullable(rekorV2Url);
  }

  public Path trustedRoot() {
    return trustedRoot;
  }

  public Path signingConfig() {
    return signingConfig;
  }

  /** The instance as a client would configure it: from the two files. */
  public SigstoreInstance instance() {
    return SigstoreInstance.fromFiles(trustedRoot, signingConfig);
  }

  /** Number of entries in the logs (Rekor v1 and, when running, v2). */
  public int logSize() {
    return log.size() + rekorV2Size();
  }

  /** Number of entries in the Rekor v2 log (0 when it is not running). */
  public int rekorV2Size() {
    return rekorV2 == null ? 0 : rekorV2.size();
  }

  @Override
  public void close() {
    servers.forEach(Http::stop);
    if (ownedDirectory != null && trustedRoot != null && signingConfig != null) {
      // Only the two files this instance wrote, then its own temp directory.
      try {
        Files.deleteIfExists(trustedRoot);
        Files.deleteIfExists(signingConfig);
        Files.deleteIfExists(ownedDirectory);
      } catch (IOException e) {
        // A test that copied its own files beside them keeps the directory; nothing to undo.
      }
    }
  }

  private ObjectNode trustedRootJson() {
    String start = ca.createdAt.toString();
    ObjectNode root = Http.JSON.createObjectNode();
    root.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
    ArrayNode tlogs = root.putArray("tlogs");
    tlogs.add(
        logJson(
            rekorUrl.toString(),
            log.key.getPublic(),
            "PKIX_ECDSA_P256_SHA_256",
            log.logId(),
            start));
    if (rekorV2 != null) {
      tlogs.add(
          logJson(
              rekorV2Url.toString(),
              rekorV2.key.getPublic(),
              rekorV2.keyDetails(),
              rekorV2.logId(),
              start));
    }

    ObjectNode fulcio = root.putArray("certificateAuthorities").addObject();
    fulcio
        .putObject("subject")
        .put("organization", "loopback.test")
        .put("commonName", "loopback-fulcio");
    fulcio.put("uri", fulcioUrl.toString());
    certChain(fulcio, ca.chain());
    fulcio.putObject("validFor").put("start", start);

    root.putArray("ctlogs")
        .add(
            logJson(
                fulcioUrl + "/ct",
                ca.ctKey.getPublic(),
                "PKIX_ECDSA_P256_SHA_256",
                ca.ctLogId(),
                start));

    ArrayNode tsas = root.putArray("timestampAuthorities");
    if (tsa != null) {
      ObjectNode t = tsas.addObject();
      t.putObject("subject").put("organization", "loopback.test").put("commonName", "loopback-tsa");
      t.put("uri", tsaUrl.toString());
      certChain(t, tsa.chain());
      t.putObject("validFor").put("start", start);
    }
    return root;
  }

  private static ObjectNode logJson(
      String baseUrl, PublicKey key, String keyDetails, byte[] logId, String start) {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode node = Http.JSON.createObjectNode();
    node.put("baseUrl", baseUrl);
    node.put("hashAlgorithm", "SHA2_256");
    ObjectNode publicKey = node.putObject("publicKey");
    publicKey.put("rawBytes", b64.encodeToString(key.getEncoded()));
    publicKey.put("keyDetails", keyDetails);
    publicKey.putObject("validFor").put("start", start);
    node.putObject("logId").put("keyId", b64.encodeToString(logId));
    return node;
  }

  private static void certChain(ObjectNode node, List<X509Certificate> chain) {
    ArrayNode certs = node.putObject("certChain").putArray("certificates");
    for (X509Certificate cert : chain) {
      try {
        certs.addObject().put("rawBytes", Base64.getEncoder().encodeToString(cert.getEncoded()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private ObjectNode signingConfigJson() {
    String start = ca.createdAt.toString();
    ObjectNode config = Http.JSON.createObjectNode();
    config.put("mediaType", "application/vnd.dev.sigstore.signingconfig.v0.2+json");
    service(config.putArray("caUrls"), fulcioUrl.toString(), 1, start);
    service(config.putArray("oidcUrls"), trustedIssuer, 1, start);
    ArrayNode tlogs = config.putArray("rekorTlogUrls");
    if (rekorV2Url != null) {
      service(tlogs, rekorV2Url.toString(), 2, start);
    }
    service(tlogs, rekorUrl.toString(), 1, start);
    ArrayNode tsaUrls = config.putArray("tsaUrls");
    if (tsaUrl != null) {
      service(tsaUrls, tsaUrl.toString(), 1, start);
    }
    config.putObject("rekorTlogConfig").put("selector", "ANY");
    config.putObject("tsaConfig").put("selector", "ANY");
    return config;
  }

  private static void service(ArrayNode list, String url, int majorApiVersion, String start) {
    ObjectNode s = list.addObject();
    s.put("url", url);
    s.put("majorApiVersion", majorApiVersion);
    s.putObject("validFor").put("start", start);
    s.put("operator", "loopback.test");
  }
}
