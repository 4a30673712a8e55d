package dev.modelsigning.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * An AWS KMS stand-in: a loopback HTTP server ({@code com.sun.net.httpserver}) speaking the AWS
 * JSON 1.1 protocol for {@code TrentService.GetPublicKey} and {@code TrentService.Sign}, the two
 * operations the signer uses. Each key holds a real key pair and really signs the digest it is
 * sent; requests without a SigV4 {@code Authorization} header for the expected credentials scope
 * are refused as KMS would. It can be told to answer with an error.
 */
public final class LoopbackAwsKms implements AutoCloseable {
  static final String ACCOUNT = "111122223333";
  public static final String ACCESS_KEY_ID = "AKIALOOPBACKTEST0001";

  /** Test-only secret: the tests assert it never appears in a message. */
  public static final String SECRET_ACCESS_KEY = "loopback/secret+Key/8c1f0a2b9d3e4f5a6b7c8d9e0f";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CREDENTIAL =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential="
              + ACCESS_KEY_ID
              + "/\\d{8}/([a-z0-9-]+)/kms/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*,"
              + " Signature=[0-9a-f]{64}");

  private record Key(String arn, String keySpec, String algorithm, KeyPair keyPair) {}

  private final String region;
  private final HttpServer server;
  private final Map<String, Key> keys = new ConcurrentHashMap<>();
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final List<JsonNode> signRequests = new CopyOnWriteArrayList<>();
  private volatile String[] failure; // {status, __type, message}
  private volatile boolean signWithAnotherKey;

  private LoopbackAwsKms(String region) throws IOException {
    this.region = region;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public static LoopbackAwsKms start(String region) throws IOException {
    return new LoopbackAwsKms(region);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A real SDK v2 client for this server: static test credentials, no other configuration. */
  KmsClient client(String clientRegion) {
    return KmsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.of(clientRegion))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }

  /**
   * Creates a key, e.g. {@code ECC_NIST_P256}, {@code RSA_2048}; returns its ARN.
   *
   * @param alias also reachable as {@code alias/NAME} (null for none)
   */
  public String createKey(String keySpec, String alias) {
    String arn = "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + UUID.randomUUID();
    keys.put(arn, new Key(arn, keySpec, algorithmFor(keySpec), generate(keySpec)));
    if (alias != null) {
      aliases.put("alias/" + alias, arn);
    }
    return arn;
  }

  /** The public key of a key, as a verifier would export it. */
  public java.security.PublicKey publicKey(String arn) {
    return keys.get(arn).keyPair().getPublic();
  }

  /** Points an existing alias at another key, as {@code UpdateAlias} would. */
  void moveAlias(String alias, String arn) {
    aliases.put("alias/" + alias, arn);
  }

  /** Every later call fails with this AWS error (null type: succeed again). */
  void failWith(int status, String type, String message) {
    this.failure = type == null ? null : new String[] {String.valueOf(status), type, message};
  }

  void signWithAnotherKey(boolean on) {
    this.signWithAnotherKey = on;
  }

  List<JsonNode> signRequests() {
    return signRequests;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request;
      try (InputStream in = exchange.getRequestBody()) {
        request = JSON.readTree(in.readAllBytes());
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      var credential = authorization == null ? null : CREDENTIAL.matcher(authorization);
      if (credential == null || !credential.matches()) {
        error(exchange, 400, "MissingAuthenticationTokenException", "Missing or bad SigV4 header");
        return;
      }
      if (!credential.group(1).equals(region)) {
        error(
            exchange,
            400,
            "InvalidSignatureException",
            "Credential should be scoped to a valid region, not '" + credential.group(1) + "'");
        return;
      }
      if (!"application/x-amz-json-1.1"
          .equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
        error(exchange, 400, "SerializationException", "not AWS JSON 1.1");
        return;
      }
      String[] f = failure;
      if (f != null) {
        error(exchange, Integer.parseInt(f[0]), f[1], f[2]);
        return;
      }
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      Key key = find(request.path("KeyId").asText(""));
      if (key == null) {
        error(
            exchange,
            400,
            "NotFoundException",
            "Key '" + request.path("KeyId").asText("") + "' does not exist");
        return;
      }
      if ("TrentService.GetPublicKey".equals(target)) {
        ObjectNode out = JSON.createObjectNode();
        out.put("KeyId", key.arn());
        out.put("KeySpec", key.keySpec());
        out.put("CustomerMasterKeySpec", key.keySpec());
        out.put("KeyUsage", "SIGN_VERIFY");
        out.putArray("SigningAlgorithms").add(key.algorithm());
        out.put(
            "PublicKey",
            Base64.getEncoder().encodeToString(key.keyPair().getPublic().getEncoded()));
        reply(exchange, 200, out);
      } else if ("TrentService.Sign".equals(target)) {
        signRequests.add(request);
        sign(exchange, key, request);
      } else {
        error(exchange, 400, "UnknownOperationException", "stand-in has no " + target);
      }
    }
  }

  private void sign(HttpExchange exchange, Key key, JsonNode request) throws IOException {
    if (!key.algorithm().equals(request.path("SigningAlgorithm").asText())) {
      error(
          exchange,
          400,
          "InvalidKeyUsageException",
          "Algorithm " + request.path("SigningAlgorithm").asText() + " is incompatible with key");
      return;
    }
    byte[] message = Base64.getDecoder().decode(request.path("Message").asText(""));
    if (!"DIGEST".equals(request.path("MessageType").asText())
        || message.length != digestLength(key.algorithm())) {
      error(exchange, 400, "ValidationException", "Digest is invalid length for algorithm");
      return;
    }
    KeyPair signer = signWithAnotherKey ? generate(key.keySpec()) : key.keyPair();
    ObjectNode out = JSON.createObjectNode();
    out.put("KeyId", key.arn());
    out.put("SigningAlgorithm", key.algorithm());
    out.put("Signature", Base64.getEncoder().encodeToString(signDigest(signer, message)));
    reply(exchange, 200, out);
  }

  private Key find(String keyId) {
    String arn = keyId;
    if (keyId.startsWith("alias/")) {
      arn = aliases.get(keyId);
    } else if (keyId.startsWith("arn:aws:kms:") && keyId.contains(":alias/")) {
      arn = aliases.get(keyId.substring(keyId.indexOf(":alias/") + 1));
    } else if (!keyId.startsWith("arn:")) {
      arn = "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + keyId;
    }
    return arn == null ? null : keys.get(arn);
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.put("__type", type);
    out.put("message", message);
    exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
    reply(exchange, status, out);
  }

  private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static String algorithmFor(String keySpec) {
    return switch (keySpec) {
      case "ECC_NIST_P256" -> "ECDSA_SHA_256";
      case "ECC_NIST_P384" -> "ECDSA_SHA_384";
      case "ECC_NIST_P521" -> "ECDSA_SHA_512";
      default -> "RSASSA_PKCS1_V1_5_SHA_256";
    };
  }

  private static int digestLength(String algorithm) {
    return switch (algorithm) {
      case "ECDSA_SHA_256", "RSASSA_PKCS1_V1_5_SHA_256" -> 32;
      case "ECDSA_SHA_384" -> 48;
      default -> 64;
    };
  }

  /** ECDSA over the digest the client sent (KMS with MessageType=DIGEST hashes nothing). */
  private static byte[] signDigest(KeyPair key, byte[] digest) {
    try {
      Signature s = Signature.getInstance("NONEwithECDSA");
      s.initSign(key.getPrivate());
      s.update(digest);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate(String keySpec) {
    try {
      if (keySpec.startsWith("RSA_")) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(Integer.parseInt(keySpec.substring(4)));
        return g.generateKeyPair();
      }
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(
          new ECGenParameterSpec(
              switch (keySpec) {
                case "ECC_NIST_P256" -> "secp256r1";
                case "ECC_NIST_P384" -> "secp384r1";
                case "ECC_NIST_P521" -> "secp521r1";
                default -> throw new IllegalArgumentException("stand-in has no " + keySpec);
              }));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
