package dev.modelsigning.pipeline.objectstores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.beam.io.PathStyleS3ClientBuilderFactory;
import dev.modelsigning.beam.testing.S3ProxyServer;
import dev.modelsigning.pipeline.Cli;
import dev.modelsigning.pipeline.SampleModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Registry re-verification over an S3-compatible store (S3Proxy on 127.0.0.1). */
class S3RegistryVerificationTest {
  private static final String ACCESS = "registry-access";
  private static final String SECRET = "registry-secret";

  @TempDir Path tmp;

  @Test
  void registryInS3IsVerifiedModelByModel() throws Exception {
    try (S3ProxyServer proxy = S3ProxyServer.start(ACCESS, SECRET)) {
      List<String> s3Args = s3Args(proxy);
      S3Options options =
          PipelineOptionsFactory.fromArgs(s3Args.toArray(String[]::new)).as(S3Options.class);
      try (S3Client s3 = new PathStyleS3ClientBuilderFactory().createBuilder(options).build()) {
        s3.createBucket(b -> b.bucket("registry"));
        Path good = SampleModels.copyOfSample(tmp, "good");
        assertEquals(0, SampleModels.signWithDemoKey(good).exitCode());
        Path tampered = SampleModels.copyOfSample(tmp, "tampered");
        assertEquals(0, SampleModels.signWithDemoKey(tampered).exitCode());
        SampleModels.flipByte(tampered.resolve("config.json"), 3);
        Path unsigned = Files.createDirectories(tmp.resolve("unsigned"));
        Files.write(unsigned.resolve("model.safetensors"), new byte[32]);
        for (Path model : List.of(good, tampered, unsigned)) {
          upload(s3, model, "models/" + model.getFileName());
        }

        List<String> args =
            new java.util.ArrayList<>(
                List.of(
                    "verify-registry",
                    "--registry=s3://registry/models",
                    "--report=" + tmp.resolve("report"),
                    "--verifier=key",
                    "--publicKey=" + SampleModels.demoPublicKey(),
                    "--requireSigned=true"));
        args.addAll(s3Args);
        Cli run = Cli.run(args.toArray(String[]::new));
        assertEquals(1, run.exitCode(), run.all());
        String report = Files.readString(tmp.resolve("report/report.jsonl"));
        assertLine(report, "s3://registry/models/good", "\"status\":\"verified\"");
        assertLine(report, "s3://registry/models/tampered", "changed: config.json");
        assertLine(report, "s3://registry/models/unsigned", "\"status\":\"unsigned\"");
      }
    }
  }

  @Test
  void modelListInS3NamesModelsSignaturesAndIds() throws Exception {
    try (S3ProxyServer proxy = S3ProxyServer.start(ACCESS, SECRET)) {
      List<String> s3Args = s3Args(proxy);
      S3Options options =
          PipelineOptionsFactory.fromArgs(s3Args.toArray(String[]::new)).as(S3Options.class);
      try (S3Client s3 = new PathStyleS3ClientBuilderFactory().createBuilder(options).build()) {
        s3.createBucket(b -> b.bucket("registry"));
        Path good = SampleModels.copyOfSample(tmp, "good");
        Path sig = tmp.resolve("good.sig");
        assertEquals(0, SampleModels.signWithDemoKey(good, "--signature=" + sig).exitCode());
        upload(s3, good, "models/good");
        s3.putObject(
            b -> b.bucket("registry").key("signatures/good.sig"), RequestBody.fromFile(sig));
        Path other = SampleModels.copyOfSample(tmp, "other");
        assertEquals(0, SampleModels.signWithDemoKey(other).exitCode());
        SampleModels.flipByte(other.resolve("config.json"), 3);
        upload(s3, other, "models/other");
        String list =
            String.join(
                "\n",
                "# nightly",
                "{\"model\": \"s3://registry/models/good\","
                    + " \"signature\": \"s3://registry/signatures/good.sig\", \"id\": \"good@1\"}",
                "{\"model\": \"s3://registry/models/other\", \"id\": \"other@7\"}");
        s3.putObject(
            b -> b.bucket("registry").key("lists/models.jsonl"), RequestBody.fromString(list));

        List<String> args =
            new java.util.ArrayList<>(
                List.of(
                    "verify-registry",
                    "--modelList=s3://registry/lists/models.jsonl",
                    "--report=" + tmp.resolve("report"),
                    "--verifier=key",
                    "--publicKey=" + SampleModels.demoPublicKey()));
        args.addAll(s3Args);
        Cli run = Cli.run(args.toArray(String[]::new));
        assertEquals(1, run.exitCode(), run.all());
        String report = Files.readString(tmp.resolve("report/report.jsonl"));
        assertEquals(2, report.lines().count(), report);
        assertLine(report, "s3://registry/models/good", "\"id\":\"good@1\"");
        assertLine(report, "s3://registry/models/good", "\"status\":\"verified\"");
        assertLine(report, "s3://registry/models/other", "\"id\":\"other@7\"");
        assertLine(report, "s3://registry/models/other", "changed: config.json");
      }
    }
  }

  private static List<String> s3Args(S3ProxyServer proxy) {
    return List.of(
        "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName(),
        "--endpoint=" + proxy.endpoint(),
        "--awsRegion=us-east-1",
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
            + "\"accessKeyId\":\""
            + ACCESS
            + "\",\"secretAccessKey\":\""
            + SECRET
            + "\"}");
  }

  private static void assertLine(String report, String model, String expected) {
    String line =
        report
            .lines()
            .filter(l -> l.contains("\"model\":\"" + model + "\""))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no line for " + model + " in\n" + report));
    assertTrue(line.contains(expected), line);
  }

  private static void upload(S3Client s3, Path dir, String prefix) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        String key = prefix + "/" + dir.relativize(f).toString();
        s3.putObject(b -> b.bucket("registry").key(key), RequestBody.fromFile(f));
      }
    }
  }
}
