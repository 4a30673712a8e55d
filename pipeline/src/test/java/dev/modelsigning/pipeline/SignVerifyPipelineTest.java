package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.testing.Interop;
import dev.modelsigning.core.verify.KeyVerifier;
import dev.modelsigning.core.verify.ModelVerifier;
import dev.modelsigning.core.verify.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Signing and verification end to end through the CLI as a user would, on both engines: the
 * in-process engine and the Beam graph on the DirectRunner.
 */
class SignVerifyPipelineTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Engine.class)
  void keySignatureVerifiesWithPipelineAndCoreAndMatchesDigest(Engine engine) throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Cli sign = SampleModels.signWithDemoKey(model, engine.options());
    assertEquals(0, sign.exitCode(), sign.all());
    Path sig = model.resolve("model.sig");
    assertTrue(Files.size(sig) > 0);
    assertTrue(sign.err().contains("signature written to " + sig), sign.all());

    Cli verify = SampleModels.verifyWithDemoKey(model, engine.options());
    assertEquals(0, verify.exitCode(), verify.all());
    assertTrue(verify.out().contains("Verified"), verify.all());

    VerificationResult core =
        ModelVerifier.verify(
            model,
            Files.readAllBytes(sig),
            KeyVerifier.fromPem(SampleModels.demoPublicKey()),
            "model.sig",
            List.of());
    assertEquals(5, core.fileCount());
    Cli digest = Cli.run("digest", "--model=" + model, "--ignorePaths=model.sig");
    assertEquals("sha256:" + core.subjectDigestHex(), digest.out().trim());
    assertEquals(digest.out().trim(), sign.out().trim());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void flippedByteFailsVerificationNamingTheFile(Engine engine) {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, SampleModels.signWithDemoKey(model, engine.options()).exitCode());
    SampleModels.flipByte(model.resolve("model-00002-of-00002.safetensors"), 1000);
    Cli verify = SampleModels.verifyWithDemoKey(model, engine.options());
    assertEquals(1, verify.exitCode(), verify.all());
    assertTrue(verify.err().contains("changed: model-00002-of-00002.safetensors"), verify.all());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void extraAndMissingFilesAreNamed(Engine engine) throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, SampleModels.signWithDemoKey(model, engine.options()).exitCode());
    Files.delete(model.resolve("tokenizer/vocab.txt"));
    Files.writeString(model.resolve("sneaky.py"), "print('hi')");
    Cli verify = SampleModels.verifyWithDemoKey(model, engine.options());
    assertEquals(1, verify.exitCode(), verify.all());
    assertTrue(verify.err().contains("missing: tokenizer/vocab.txt"), verify.all());
    assertTrue(verify.err().contains("extra (not signed): sneaky.py"), verify.all());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void shardsMethodRecordsShardResourcesAndVerifies(Engine engine) throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Cli sign =
        SampleModels.signWithDemoKey(model, engine.command("--method=shards", "--shardSize=1000"));
    assertEquals(0, sign.exitCode(), sign.all());
    var statement =
        StatementReader.read(
            BundleReader.read(Files.readAllBytes(model.resolve("model.sig"))).envelope().payload());
    var names = statement.manifest().resources().stream().map(r -> r.name()).toList();
    assertTrue(names.contains("model-00001-of-00002.safetensors:4000:4096"), names.toString());
    assertEquals("sha256-sharded-1000", statement.manifest().resources().get(0).algorithm());
    assertEquals(0, SampleModels.verifyWithDemoKey(model, engine.options()).exitCode());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void existingSignatureIsKeptWithoutOverwrite(Engine engine) throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, SampleModels.signWithDemoKey(model, engine.options()).exitCode());
    Path sig = model.resolve("model.sig");
    byte[] first = Files.readAllBytes(sig);
    Files.writeString(model.resolve("config.json"), "{\"changed\":true}");

    Cli again = SampleModels.signWithDemoKey(model, engine.options());
    assertEquals(2, again.exitCode(), again.all());
    assertTrue(again.err().contains("already exists"), again.all());
    assertTrue(again.err().contains("--overwrite=true"), again.all());
    assertArrayEquals(first, Files.readAllBytes(sig));

    Cli overwrite = SampleModels.signWithDemoKey(model, engine.command("--overwrite=true"));
    assertEquals(0, overwrite.exitCode(), overwrite.all());
    assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(sig)));
    assertEquals(0, SampleModels.verifyWithDemoKey(model, engine.options()).exitCode());
  }

  /**
   * A retried or repeated job that signs the same statement with the same key finds its own
   * signature: success, and the file is left alone (same inode and time: not rewritten, which byte
   * equality alone cannot show now that local-key signatures are deterministic).
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void signingTheSameModelAgainKeepsTheFirstBundleUntouched(Engine engine) throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, SampleModels.signWithDemoKey(model, engine.options()).exitCode());
    Path sig = model.resolve("model.sig");
    Object inode = Files.readAttributes(sig, BasicFileAttributes.class).fileKey();
    FileTime written = Files.getLastModifiedTime(sig);
    Files.setLastModifiedTime(sig, FileTime.fromMillis(written.toMillis() - 60_000));
    FileTime marked = Files.getLastModifiedTime(sig);

    Cli again = SampleModels.signWithDemoKey(model, engine.options());
    assertEquals(0, again.exitCode(), again.all());
    assertEquals(inode, Files.readAttributes(sig, BasicFileAttributes.class).fileKey());
    assertEquals(marked, Files.getLastModifiedTime(sig));
    assertEquals(0, SampleModels.verifyWithDemoKey(model, engine.options()).exitCode());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void emptyModelIsRefusedAndNothingIsWritten(Engine engine) throws Exception {
    Path model = Files.createDirectory(tmp.resolve("empty"));
    Files.createDirectory(model.resolve(".git"));
    Files.writeString(model.resolve(".git/HEAD"), "ref: main");
    Cli sign = SampleModels.signWithDemoKey(model, engine.options());
    assertEquals(2, sign.exitCode(), sign.all());
    assertTrue(sign.err().contains("no files to sign"), sign.all());
    assertFalse(Files.exists(model.resolve("model.sig")));
  }

  @Test
  void missingModelIsAUsageError() {
    Cli sign = SampleModels.signWithDemoKey(tmp.resolve("absent"));
    assertEquals(2, sign.exitCode(), sign.all());
    assertTrue(sign.err().contains("does not exist"), sign.all());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void wrongKeyFailsVerification(Engine engine) throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, SampleModels.signWithDemoKey(model, engine.options()).exitCode());
    Path otherPub = TestPems.newEcPublicKeyPem(tmp, "secp256r1");
    Cli verify =
        Cli.run(
            engine.command(
                "verify",
                "--model=" + model,
                "--verifier=key",
                "--publicKey=" + otherPub.toString()));
    assertEquals(1, verify.exitCode(), verify.all());
  }

  @Test
  void encryptedKeyNeedsTheRightPassword() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    TestPems.KeyFiles key = TestPems.newEncryptedKey(tmp, "correct horse");
    Path wrong = Files.writeString(tmp.resolve("wrong.txt"), "battery staple\n");
    Cli bad =
        Cli.run(
            "sign",
            "--model=" + model,
            "--signer=key",
            "--privateKey=" + key.privateKey(),
            "--privateKeyPasswordFile=" + wrong);
    assertEquals(2, bad.exitCode(), bad.all());
    assertTrue(bad.err().contains("password"), bad.all());
    assertFalse(bad.all().contains("battery staple"), "the password must never be printed");
    assertFalse(Files.exists(model.resolve("model.sig")));

    Path right = Files.writeString(tmp.resolve("right.txt"), "correct horse\n");
    Cli good =
        Cli.run(
            "sign",
            "--model=" + model,
            "--signer=key",
            "--privateKey=" + key.privateKey(),
            "--privateKeyPasswordFile=" + right);
    assertEquals(0, good.exitCode(), good.all());
    Cli verify =
        Cli.run("verify", "--model=" + model, "--verifier=key", "--publicKey=" + key.publicKey());
    assertEquals(0, verify.exitCode(), verify.all());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void certificateSignatureVerifiesAgainstTheRootCa(Engine engine) {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Path keys = Interop.certificateKeys();
    Cli sign = SampleModels.signWithInteropCertificate(model, engine.options());
    assertEquals(0, sign.exitCode(), sign.all());
    Cli verify =
        Cli.run(
            engine.command(
                "verify",
                "--model=" + model,
                "--verifier=certificate",
                "--caCertificates=" + keys.resolve("ca-cert.pem")));
    assertEquals(0, verify.exitCode(), verify.all());
    Cli wrongCa =
        Cli.run(
            engine.command(
                "verify",
                "--model=" + model,
                "--verifier=certificate",
                "--caCertificates=" + keys.resolve("signing-key-cert.pem")));
    assertEquals(1, wrongCa.exitCode(), wrongCa.all());
  }

  /**
   * A missing private key fails before the model is read: the model here also holds a FIFO, which
   * listing would refuse, and the error names the key. On the DirectRunner the CLI is the worker,
   * so it checks the secret files at launch too.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void missingPrivateKeyFailsBeforeTheModelIsRead(Engine engine) throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assumeTrue(HostileInputCliTest.mkfifo(model.resolve("pipe")), "mkfifo is not available");
    Path absent = tmp.resolve("no-such-key.pem");
    Cli sign =
        Cli.run(
            engine.command("sign", "--model=" + model, "--signer=key", "--privateKey=" + absent));
    assertEquals(2, sign.exitCode(), sign.all());
    assertTrue(sign.err().contains("--privateKey '" + absent + "' does not exist"), sign.all());
    assertFalse(sign.err().contains("pipe"), sign.all());
    assertFalse(Files.exists(model.resolve("model.sig")));
  }

  @Test
  void missingSignerSettingIsAUsageError() {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Cli sign = Cli.run("sign", "--model=" + model, "--signer=key");
    assertEquals(2, sign.exitCode(), sign.all());
    assertTrue(sign.err().contains("--privateKey is required"), sign.all());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void hugeBundleIsRefusedBySizeWithoutBeingParsed(Engine engine) throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Path sig = model.resolve("model.sig");
    try (var out = Files.newOutputStream(sig)) {
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) '[');
      for (int i = 0; i < 100; i++) {
        out.write(chunk);
      }
    }
    Cli verify = SampleModels.verifyWithDemoKey(model, engine.options());
    assertEquals(1, verify.exitCode(), verify.all());
    assertTrue(verify.err().contains("larger than"), verify.all());
    assertFalse(verify.err().contains("\tat "), verify.all());
  }
}
