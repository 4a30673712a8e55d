package dev.modelsigning.kms;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.kms.v1.AsymmetricSignRequest;
import com.google.cloud.kms.v1.AsymmetricSignResponse;
import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.google.cloud.kms.v1.Digest;
import com.google.cloud.kms.v1.GetPublicKeyRequest;
import com.google.cloud.kms.v1.KeyManagementServiceGrpc;
import com.google.cloud.kms.v1.KeyManagementServiceSettings;
import com.google.cloud.kms.v1.ProtectionLevel;
import com.google.cloud.kms.v1.PublicKey;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Cloud KMS stand-in: the library's own {@code KeyManagementService} gRPC service definition,
 * served by a real Netty gRPC server on 127.0.0.1 (plaintext), implementing the two methods the
 * signer uses. Each key version holds a real key pair and really signs the digest it is sent, and
 * checks and returns CRC32Cs as Cloud KMS does. It can be told to fail or to misbehave.
 */
public final class LoopbackCloudKms implements AutoCloseable {
  /** Ways the service can go wrong, so the client's checks are tested for real. */
  enum Fault {
    NONE,
    SIGNATURE_CRC32C_WRONG,
    DIGEST_NOT_VERIFIED,
    SIGNED_BY_ANOTHER_KEY,
    PEM_CRC32C_WRONG
  }

  private record Version(KeyPair keyPair, CryptoKeyVersionAlgorithm algorithm) {}

  private final Map<String, Version> versions = new ConcurrentHashMap<>();
  private final List<AsymmetricSignRequest> signRequests = new CopyOnWriteArrayList<>();
  private volatile Status failure;
  private volatile Fault fault = Fault.NONE;
  private final Server server;

  private LoopbackCloudKms() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new Service())
            .build()
            .start();
  }

  public static LoopbackCloudKms start() throws IOException {
    return new LoopbackCloudKms();
  }

  /** Client settings for this server: plaintext loopback channel, no credentials. */
  KeyManagementServiceSettings clientSettings() throws IOException {
    String endpoint = "127.0.0.1:" + server.getPort();
    return KeyManagementServiceSettings.newBuilder()
        .setEndpoint(endpoint)
        .setCredentialsProvider(NoCredentialsProvider.create())
        .setTransportChannelProvider(
            KeyManagementServiceSettings.defaultGrpcTransportProviderBuilder()
                .setEndpoint(endpoint)
                .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                .build())
        .build();
  }

  /** Creates a key version holding a fresh key pair for {@code algorithm}. */
  public String createKeyVersion(
      String keyRingPath, String keyId, CryptoKeyVersionAlgorithm algorithm) {
    String name = keyRingPath + "/cryptoKeys/" + keyId + "/cryptoKeyVersions/1";
    versions.put(name, new Version(generate(algorithm), algorithm));
    return name;
  }

  /** {@code http://127.0.0.1:<port>}: what {@code --kmsEndpoint} takes for this stand-in. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** The public key of a key version, as a verifier would export it. */
  public java.security.PublicKey publicKey(String versionName) {
    return versions.get(versionName).keyPair().getPublic();
  }

  /** Every later call fails with {@code status} (null: succeed again). */
  public void failWith(Status status) {
    this.failure = status;
  }

  void misbehave(Fault fault) {
    this.fault = fault;
  }

  List<AsymmetricSignRequest> signRequests() {
    return signRequests;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private final class Service extends KeyManagementServiceGrpc.KeyManagementServiceImplBase {
    @Override
    public void getPublicKey(GetPublicKeyRequest request, StreamObserver<PublicKey> response) {
      Version v = versions.get(request.getName());
      if (refused(request.getName(), v, response)) {
        return;
      }
      String pem = pem(v.keyPair().getPublic().getEncoded());
      long crc = Crc32c.of(pem) ^ (fault == Fault.PEM_CRC32C_WRONG ? 1 : 0);
      response.onNext(
          PublicKey.newBuilder()
              .setPem(pem)
              .setPemCrc32C(Int64Value.of(crc))
              .setAlgorithm(v.algorithm())
              .setName(request.getName())
              .setProtectionLevel(ProtectionLevel.HSM)
              .build());
      response.onCompleted();
    }

    @Override
    public void asymmetricSign(
        AsymmetricSignRequest request, StreamObserver<AsymmetricSignResponse> response) {
      signRequests.add(request);
      Version v = versions.get(request.getName());
      if (refused(request.getName(), v, response)) {
        return;
      }
      ByteString digest = digestFor(v.algorithm(), request.getDigest());
      if (digest == null) {
        response.onError(
            Status.INVALID_ARGUMENT
                .withDescription("the digest does not match the key's algorithm " + v.algorithm())
                .asRuntimeException());
        return;
      }
      if (request.hasDigestCrc32C()
          && request.getDigestCrc32C().getValue() != Crc32c.of(digest.toByteArray())) {
        response.onError(
            Status.INVALID_ARGUMENT
                .withDescription("The checksum in field digest_crc32c did not match the data")
                .asRuntimeException());
        return;
      }
      KeyPair signer = fault == Fault.SIGNED_BY_ANOTHER_KEY ? generate(v.algorithm()) : v.keyPair();
      byte[] signature = signDigest(signer, digest.toByteArray());
      long crc = Crc32c.of(signature) ^ (fault == Fault.SIGNATURE_CRC32C_WRONG ? 1 : 0);
      response.onNext(
          AsymmetricSignResponse.newBuilder()
              .setSignature(ByteString.copyFrom(signature))
              .setSignatureCrc32C(Int64Value.of(crc))
              .setVerifiedDigestCrc32C(
                  request.hasDigestCrc32C() && fault != Fault.DIGEST_NOT_VERIFIED)
              .setName(request.getName())
              .setProtectionLevel(ProtectionLevel.HSM)
              .build());
      response.onCompleted();
    }

    private boolean refused(String name, Version v, StreamObserver<?> response) {
      Status f = failure;
      if (f != null) {
        response.onError(f.asRuntimeException());
        return true;
      }
      if (v == null) {
        response.onError(
            Status.NOT_FOUND
                .withDescription("CryptoKeyVersion " + name + " not found.")
                .asRuntimeException());
        return true;
      }
      return false;
    }
  }

  private static ByteString digestFor(CryptoKeyVersionAlgorithm algorithm, Digest digest) {
    return switch (algorithm) {
      case EC_SIGN_P256_SHA256, RSA_SIGN_PKCS1_2048_SHA256 ->
          digest.getDigestCase() == Digest.DigestCase.SHA256 ? digest.getSha256() : null;
      case EC_SIGN_P384_SHA384 ->
          digest.getDigestCase() == Digest.DigestCase.SHA384 ? digest.getSha384() : null;
      default -> null;
    };
  }

  /** ECDSA over a digest received from the client: the key hashes nothing itself, as in KMS. */
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

  private static KeyPair generate(CryptoKeyVersionAlgorithm algorithm) {
    try {
      return switch (algorithm) {
        case EC_SIGN_P256_SHA256 -> ec("secp256r1");
        case EC_SIGN_P384_SHA384 -> ec("secp384r1");
        case RSA_SIGN_PKCS1_2048_SHA256 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(2048);
          yield g.generateKeyPair();
        }
        default -> throw new IllegalArgumentException("stand-in has no " + algorithm);
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ec(String curve) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  private static String pem(byte[] spki) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(spki)
        + "\n-----END PUBLIC KEY-----\n";
  }
}
