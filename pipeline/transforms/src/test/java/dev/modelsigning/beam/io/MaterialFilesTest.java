package dev.modelsigning.beam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import com.sun.net.httpserver.HttpServer;
import dev.modelsigning.beam.testing.S3ProxyServer;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A key-material read that fails is a usage error (exit 2) only when the location is at fault:
 * missing, forbidden, or a local file. A store that is down or throttling is a plain {@link
 * ModelSigningException} (exit 1, worth running again), named with the location and HTTP status.
 */
class MaterialFilesTest {
  private static final byte[] KEY = "-----BEGIN PUBLIC KEY-----\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  @AfterEach
  void restore() {
    FakeGcs.remove();
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  /** google-cloud-nio's fake, answering every metadata call with {@code code} when not 0. */
  private static Storage gcsAnswering(int code) {
    Storage fake = LocalStorageHelper.getOptions().getService();
    fake.create(BlobInfo.newBuilder(BlobId.of("keys", "pub.pem")).build(), KEY);
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              if (code != 0 && method.getName().equals("get")) {
                throw new StorageException(code, "backend error");
              }
              try {
                return method.invoke(fake, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 429, 408})
  void gcsUnavailableOrThrottlingIsAFailureWorthRetryingNotBadInput(int code) {
    FakeGcs.install(gcsAnswering(code));

    ModelSigningException e =
        assertThrows(
            ModelSigningException.class,
            () -> MaterialFiles.read("--publicKey", "gs://keys/pub.pem", 1 << 20));

    assertFalse(e instanceof InvalidInputException, "not a usage error: " + e);
    assertTrue(e.getMessage().contains("--publicKey 'gs://keys/pub.pem'"), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP " + code), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403, 400})
  void gcsRefusingTheRequestIsBadInputNamingTheStatus(int code) {
    FakeGcs.install(gcsAnswering(code));

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> MaterialFiles.read("--publicKey", "gs://keys/pub.pem", 1 << 20));

    assertTrue(e.getMessage().contains("--publicKey 'gs://keys/pub.pem'"), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP " + code), e.getMessage());
  }

  @Test
  void gcsNotFoundIsAMissingFile() {
    FakeGcs.install(gcsAnswering(404));

    MissingFileException e =
        assertThrows(
            MissingFileException.class,
            () -> MaterialFiles.read("--publicKey", "gs://keys/pub.pem", 1 << 20));

    assertTrue(
        e.getMessage().contains("--publicKey 'gs://keys/pub.pem' does not exist"), e.getMessage());
  }

  @Test
  void gcsObjectThatIsThereIsRead() {
    FakeGcs.install(gcsAnswering(0));

    assertArrayEquals(KEY, MaterialFiles.read("--publicKey", "gs://keys/pub.pem", 1 << 20));
    assertThrows(
        MissingFileException.class,
        () -> MaterialFiles.read("--publicKey", "gs://keys/other.pem", 1 << 20));
  }

  /** Beam's S3 file system and the AWS SDK client, pointed at {@code endpoint}. */
  private static void useS3At(String endpoint, String accessKey, String secretKey) {
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(
                "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName(),
                "--endpoint=" + endpoint,
                "--awsRegion=us-east-1",
                "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                    + "\"accessKeyId\":\""
                    + accessKey
                    + "\",\"secretAccessKey\":\""
                    + secretKey
                    + "\"}")
            .as(S3Options.class));
  }

  /**
   * S3Proxy never answers 503, so a loopback endpoint that answers every request as S3 does when it
   * is overloaded stands in for it; the AWS SDK client and Beam's S3 file system stay real.
   */
  @Test
  void s3UnavailableIsAFailureWorthRetryingNotBadInput() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer overloaded =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    overloaded.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          byte[] body =
              ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                      + "<Message>Please reduce your request rate.</Message></Error>")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/xml");
          if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(503, -1);
          } else {
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    overloaded.start();
    try {
      useS3At("http://127.0.0.1:" + overloaded.getAddress().getPort(), "access-key", "secret-key");

      ModelSigningException e =
          assertThrows(
              ModelSigningException.class,
              () -> MaterialFiles.read("--publicKey", "s3://keys/pub.pem", 1 << 20));

      assertFalse(e instanceof InvalidInputException, "not a usage error: " + e);
      assertTrue(e.getMessage().contains("--publicKey 's3://keys/pub.pem'"), e.getMessage());
      assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
      assertTrue(requests.get() > 0, "the S3 client reached the endpoint");
    } finally {
      overloaded.stop(0);
    }
  }

  @Test
  void s3RefusingTheCredentialsIsBadInputAndAMissingObjectIsAMissingFile() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start("material-access", "material-secret")) {
      useS3At(s3.endpoint(), "material-access", "wrong-secret");

      InvalidInputException denied =
          assertThrows(
              InvalidInputException.class,
              () -> MaterialFiles.read("--publicKey", "s3://keys/pub.pem", 1 << 20));

      assertFalse(denied instanceof MissingFileException, denied.toString());
      assertTrue(
          denied.getMessage().contains("--publicKey 's3://keys/pub.pem'"), denied.getMessage());
      assertTrue(denied.getMessage().contains("HTTP 403"), denied.getMessage());

      useS3At(s3.endpoint(), "material-access", "material-secret");
      assertInstanceOf(
          MissingFileException.class,
          assertThrows(
              InvalidInputException.class,
              () -> MaterialFiles.read("--publicKey", "s3://keys/pub.pem", 1 << 20)));
    }
  }

  @Test
  void anUnreadableLocalFileIsBadInput() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("a-directory"));

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> MaterialFiles.read("--publicKey", dir.toString(), 1 << 20));

    assertTrue(e.getMessage().contains("--publicKey '" + dir + "'"), e.getMessage());
    assertEquals(
        MissingFileException.class,
        assertThrows(
                InvalidInputException.class,
                () -> MaterialFiles.read("--publicKey", tmp.resolve("none").toString(), 1 << 20))
            .getClass());
  }
}
