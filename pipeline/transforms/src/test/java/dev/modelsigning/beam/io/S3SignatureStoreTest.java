package dev.modelsigning.beam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.beam.testing.S3ProxyServer;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.SignatureExistsException;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Signature writes to S3 against S3Proxy on loopback (a real S3-protocol server that honours {@code
 * If-None-Match} and {@code If-Match} on PUT) with the real AWS SDK client, built from the job's
 * options as Beam's S3 file system builds it.
 */
class S3SignatureStoreTest {
  private static final String BUCKET = "signatures";
  private static S3ProxyServer proxy;
  private static S3Options options;
  private static S3Client raw;

  @BeforeAll
  static void start() throws Exception {
    proxy = S3ProxyServer.start("store-access", "store-secret");
    options =
        PipelineOptionsFactory.fromArgs(
                "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName(),
                "--endpoint=" + proxy.endpoint(),
                "--awsRegion=us-east-1",
                "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                    + "\"accessKeyId\":\"store-access\",\"secretAccessKey\":\"store-secret\"}")
            .as(S3Options.class);
    raw = new PathStyleS3ClientBuilderFactory().createBuilder(options).build();
    raw.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() throws Exception {
    raw.close();
    proxy.close();
  }

  @Test
  void aNewSignatureIsWrittenAndAnExistingOneIsNeverReplaced() {
    String location = "s3://" + BUCKET + "/new/model.sig";
    SignatureStore.write(location, bytes("first"), false, options);
    assertEquals("first", read("new/model.sig"));
    assertEquals("application/json", contentType("new/model.sig"));

    assertThrows(
        SignatureExistsException.class,
        () -> SignatureStore.write(location, bytes("second"), false, options));
    assertEquals("first", read("new/model.sig"));
  }

  @Test
  void overwriteReplacesTheSignature() {
    String location = "s3://" + BUCKET + "/over/model.sig";
    SignatureStore.write(location, bytes("first"), false, options);
    SignatureStore.write(location, bytes("second"), true, options);
    assertEquals("second", read("over/model.sig"));
    SignatureStore.write("s3://" + BUCKET + "/fresh/model.sig", bytes("only"), true, options);
    assertEquals("only", read("fresh/model.sig"));
  }

  /** Another signer wins between our HEAD and our PUT: the PUT itself is refused. */
  @Test
  void theCreateIsConditionalNotCheckThenWrite() {
    put("race/model.sig", "theirs");
    try (S3SignatureStore store = S3SignatureStore.of(options)) {
      var object = S3SignatureStore.S3Object.parse("s3://" + BUCKET + "/race/model.sig");
      var refused =
          assertThrows(
              software.amazon.awssdk.services.s3.model.S3Exception.class,
              () -> store.put(object, bytes("ours"), null));
      assertEquals(412, refused.statusCode());
      // An overwrite that saw another ETag is refused too.
      var stale =
          assertThrows(
              software.amazon.awssdk.services.s3.model.S3Exception.class,
              () -> store.put(object, bytes("ours"), "\"0123456789abcdef0123456789abcdef\""));
      assertEquals(412, stale.statusCode());
    }
    assertEquals("theirs", read("race/model.sig"));
  }

  @Test
  void aStoreThatIsMissingIsOneClearError() {
    var e =
        assertThrows(
            ModelSigningException.class,
            () ->
                SignatureStore.write(
                    "s3://no-such-bucket-here/m/model.sig", bytes("x"), false, options));
    assertTrue(e.getMessage().contains("s3://no-such-bucket-here/m/model.sig"), e.getMessage());
  }

  @Test
  void locationsAreBucketAndKey() {
    assertEquals(
        new S3SignatureStore.S3Object("b", "a/b/model.sig"),
        S3SignatureStore.S3Object.parse("s3://b/a/b/model.sig"));
    assertThrows(IllegalArgumentException.class, () -> S3SignatureStore.S3Object.parse("s3://b"));
    assertThrows(IllegalArgumentException.class, () -> S3SignatureStore.S3Object.parse("s3://b/"));
  }

  private static void put(String key, String text) {
    raw.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(text));
  }

  private static String read(String key) {
    return raw.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
  }

  private static String contentType(String key) {
    return raw.headObject(b -> b.bucket(BUCKET).key(key)).contentType();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
