package dev.modelsigning.pipeline.objectstores;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.beam.io.PathStyleS3ClientBuilderFactory;
import dev.modelsigning.beam.testing.S3ProxyServer;
import dev.modelsigning.pipeline.Cli;
import dev.modelsigning.pipeline.SampleModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The CLI against an S3-compatible store: S3Proxy (transient in-memory provider) embedded on
 * 127.0.0.1, reached through Beam's S3 filesystem with {@link PathStyleS3ClientBuilderFactory}. One
 * S3Proxy for the class; each test uploads the model under its own prefix.
 */
class S3ProxyPipelineTest {
  private static final String BUCKET = "models";
  private static final String ACCESS = "test-access-key";
  private static final String SECRET = "test-secret-key";
  private static final int SHARD = 100_000;

  @TempDir static Path tmp;
  private static S3ProxyServer proxy;
  private static S3Client s3;
  private static List<String> s3Args;
  private static Path localModel;

  @BeforeAll
  static void startS3Proxy() throws Exception {
    proxy = S3ProxyServer.start(ACCESS, SECRET);
    s3Args =
        List.of(
            "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName(),
            "--endpoint=" + proxy.endpoint(),
            "--awsRegion=us-east-1",
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
                + ACCESS
                + "\",\"secretAccessKey\":\""
                + SECRET
                + "\"}");
    // The test's own client is built by the factory under test from the same options.
    S3Options options =
        PipelineOptionsFactory.fromArgs(s3Args.toArray(String[]::new)).as(S3Options.class);
    s3 = new PathStyleS3ClientBuilderFactory().createBuilder(options).build();
    s3.createBucket(b -> b.bucket(BUCKET));
    localModel = writeModel(tmp.resolve("model"));
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  /** Nested directories, a dotfile, an empty file and one file spanning 3.5 shards. */
  private static Path writeModel(Path root) throws IOException {
    Random random = new Random(42);
    Map<String, Integer> sizes = new TreeMap<>();
    sizes.put("config.json", 321);
    sizes.put("tokenizer.json", 2_000);
    sizes.put("tokenizer/vocab.txt", 1_500);
    sizes.put(".hidden/notes", 10);
    sizes.put("empty.txt", 0);
    sizes.put("weights/model-00002-of-00002.safetensors", 40_000);
    sizes.put("weights/deep/nested/model-00001-of-00002.safetensors", 3 * SHARD + SHARD / 2 + 7);
    for (Map.Entry<String, Integer> e : sizes.entrySet()) {
      Path f = root.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      byte[] b = new byte[e.getValue()];
      random.nextBytes(b);
      Files.write(f, b);
    }
    return root;
  }

  /** Uploads the local model under {@code s3://models/<prefix>} and returns that URI. */
  private static String upload(String prefix) {
    try (Stream<Path> walk = Files.walk(localModel)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        String key = prefix + "/" + localModel.relativize(f).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "s3://" + BUCKET + "/" + prefix;
  }

  private static byte[] get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  private static Cli cli(String verb, String model, String... extra) {
    List<String> args = new ArrayList<>(List.of(verb, "--model=" + model));
    if (model.startsWith("s3://")) {
      args.addAll(s3Args);
    }
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private static Cli sign(String model, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("--signer=key", "--privateKey=" + SampleModels.demoPrivateKey()));
    args.addAll(List.of(extra));
    return cli("sign", model, args.toArray(String[]::new));
  }

  private static Cli verify(String model) {
    return cli("verify", model, "--verifier=key", "--publicKey=" + SampleModels.demoPublicKey());
  }

  @Test
  void digestOverS3EqualsLocalDigestForFilesAndShards() {
    String model = upload("digest/model");
    for (String[] method :
        List.of(new String[] {"--method=files"}, new String[] {"--method=shards"})) {
      String[] extra =
          method[0].equals("--method=shards")
              ? new String[] {method[0], "--shardSize=" + SHARD}
              : method;
      Cli local = cli("digest", localModel.toString(), extra);
      assertEquals(0, local.exitCode(), local.all());
      Cli remote = cli("digest", model, extra);
      assertEquals(0, remote.exitCode(), remote.all());
      assertTrue(remote.out().trim().startsWith("sha256:"), remote.all());
      assertEquals(local.out().trim(), remote.out().trim(), method[0]);
      assertEquals(local.err().trim(), remote.err().trim(), "file and byte counts");
    }
  }

  @Test
  void signWritesBundleInsideTheModelAndVerifiesAndRefusesToClobber() {
    String model = upload("sign/model");
    Cli sign = sign(model, "--method=shards", "--shardSize=" + SHARD);
    assertEquals(0, sign.exitCode(), sign.all());
    assertTrue(sign.err().contains("signature written to " + model + "/model.sig"), sign.all());
    byte[] bundle = get("sign/model/model.sig");
    assertTrue(bundle.length > 0);

    Cli verify = verify(model);
    assertEquals(0, verify.exitCode(), verify.all());
    assertTrue(verify.out().contains("Verified"), verify.all());
    assertEquals(sign.out().trim(), verify.out().lines().reduce((a, b) -> b).orElse(""));

    Cli again = sign(model);
    assertEquals(2, again.exitCode(), again.all());
    assertTrue(again.err().contains("already exists"), again.all());
    assertArrayEquals(bundle, get("sign/model/model.sig"), "old bundle left intact");
  }

  @Test
  void flippedByteInOneObjectFailsVerificationNamingTheFile() {
    String model = upload("tamper/model");
    Cli sign = sign(model);
    assertEquals(0, sign.exitCode(), sign.all());
    String key = "tamper/model/weights/deep/nested/model-00001-of-00002.safetensors";
    byte[] b = get(key);
    b[SHARD + 5] ^= 1;
    s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(b));

    Cli verify = verify(model);
    assertEquals(1, verify.exitCode(), verify.all());
    assertTrue(
        verify.err().contains("changed: weights/deep/nested/model-00001-of-00002.safetensors"),
        verify.all());
  }
}
