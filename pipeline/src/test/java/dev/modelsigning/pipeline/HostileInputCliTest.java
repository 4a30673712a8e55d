package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.testing.Interop;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile inputs through the real verify path: the CLI on a real model directory, with bundles
 * whose signature is VALID (signed by hand with the demo key through core {@link KeySigner}) so
 * that only the content is hostile. Every case must fail closed: exit 1 (or 2 for a bad key or
 * option), a message that names the problem, no stack trace, nothing read outside the model.
 */
class HostileInputCliTest {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir static Path shared;
  @TempDir Path tmp;

  /** The statement the CLI signs for the sample model: the template every hostile one edits. */
  private static ObjectNode genuine;

  private static KeySigner demo;

  @BeforeAll
  static void signTheSampleOnce() throws Exception {
    Path model = SampleModels.copyOfSample(shared, "template");
    Cli sign = SampleModels.signWithDemoKey(model);
    assertEquals(0, sign.exitCode(), sign.all());
    byte[] payload =
        BundleReader.read(Files.readAllBytes(model.resolve("model.sig"))).envelope().payload();
    genuine = (ObjectNode) Json.parse(payload, "statement");
    demo = KeySigner.fromPem(SampleModels.demoPrivateKey(), null);
  }

  // ---------------------------------------------------------------- helpers

  private Path model() {
    return SampleModels.copyOfSample(tmp, "model");
  }

  private static ArrayNode resources(ObjectNode st) {
    return (ArrayNode) st.at("/predicate/resources");
  }

  private static ObjectNode resource(String name, byte[] digest) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("name", name).put("algorithm", "sha256").put("digest", HEX.formatHex(digest));
    return r;
  }

  /** Recomputes the subject digest over the listed resources, so only the names are hostile. */
  private static void fixSubject(ObjectNode st) {
    MessageDigest subject = HashAlgorithm.sha256();
    for (var r : resources(st)) {
      subject.update(HEX.parseHex(r.get("digest").textValue()));
    }
    ((ObjectNode) st.at("/subject/0/digest")).put("sha256", HEX.formatHex(subject.digest()));
  }

  private static byte[] json(Object node) throws IOException {
    return Json.MAPPER.writeValueAsBytes(node);
  }

  /** A statement edited by {@code edit}, its subject recomputed, signed with the demo key. */
  private static byte[] signedStatement(Consumer<ObjectNode> edit) throws IOException {
    ObjectNode st = genuine.deepCopy();
    edit.accept(st);
    fixSubject(st);
    return demo.sign(json(st));
  }

  private static Cli verify(Path model) {
    return SampleModels.verifyWithDemoKey(model);
  }

  /** Writes the bundle as the model's signature and verifies: must fail with exit 1. */
  private static Cli refused(Path model, byte[] bundle, String... messageParts) throws IOException {
    Files.write(model.resolve("model.sig"), bundle);
    Cli v = verify(model);
    assertFailedClearly(v, 1, messageParts);
    return v;
  }

  static void assertFailedClearly(Cli c, int exit, String... messageParts) {
    assertEquals(exit, c.exitCode(), c.all());
    for (String p : messageParts) {
      assertTrue(c.err().contains(p), "'" + p + "' not in:\n" + c.all());
    }
    assertFalse(c.all().contains("\tat "), "stack trace printed:\n" + c.all());
    assertFalse(c.all().contains("Exception:"), "exception class printed:\n" + c.all());
    assertFalse(c.out().contains("Verified"), c.all());
  }

  private static byte[] sha256(byte[] b) {
    return HashAlgorithm.sha256().digest(b);
  }

  // ---------------------------------------------------------------- manifest names

  /**
   * A manifest naming {@code ../outside.bin}, with the digest of a real file {@code outside.bin}
   * beside the model: refused by name, before any file is hashed. Because verification lists the
   * model and never opens a path taken from the manifest, the outside file could not be read even
   * if the name check were missing.
   */
  @Test
  void manifestReachingOutsideTheModelIsRefusedEvenWhenTheOutsideFileMatches() throws Exception {
    Path model = model();
    byte[] content = "outside the model".getBytes(StandardCharsets.UTF_8);
    Path outside = Files.write(tmp.resolve("outside.bin"), content);
    for (String name : List.of("../outside.bin", outside.toAbsolutePath().toString())) {
      byte[] bundle = signedStatement(st -> resources(st).add(resource(name, sha256(content))));
      refused(model, bundle, "'" + name + "'", "not a safe model path");
    }
  }

  /**
   * The same with a FIFO beside the model: opening it for reading would block forever, so a
   * verification that finishes proves the manifest's path was never opened.
   */
  @Test
  void manifestNamingAFifoOutsideTheModelNeverOpensIt() throws Exception {
    Path model = model();
    Path fifo = tmp.resolve("trap.fifo");
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    byte[] bundle =
        signedStatement(st -> resources(st).add(resource("../trap.fifo", sha256(new byte[0]))));
    assertTimeoutPreemptively(
        Duration.ofSeconds(60), () -> refused(model, bundle, "../trap.fifo", "not a safe"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tokenizer/./vocab.txt",
        "tokenizer//vocab.txt",
        "tokenizer\\vocab.txt",
        "./config.json",
        "tokenizer/../config.json",
        "config.json\u0000.txt",
        "config.json/",
        ""
      })
  void unsafeNamesInASignedManifestAreRefused(String name) throws Exception {
    Path model = model();
    byte[] real = Files.readAllBytes(model.resolve("config.json"));
    byte[] bundle = signedStatement(st -> resources(st).add(resource(name, sha256(real))));
    Cli v = refused(model, bundle, "not a safe model path");
    assertTrue(v.err().chars().noneMatch(c -> c == 0), "NUL echoed to the terminal");
  }

  @Test
  void duplicateNameIsRefused() throws Exception {
    Path model = model();
    byte[] bundle = signedStatement(st -> resources(st).add(resources(st).get(0).deepCopy()));
    refused(model, bundle, "listed twice");
  }

  private static final String NFC = "caf\u00e9.txt";
  private static final String NFD = "cafe\u0301.txt";

  /** Policy: a manifest holding two names equal under NFC is ambiguous and refused. */
  @Test
  void namesEqualUnderUnicodeNormalizationAreRefused() throws Exception {
    assertFalse(NFC.equals(NFD));
    assertEquals(NFC, Normalizer.normalize(NFD, Normalizer.Form.NFC));
    Path model = model();
    byte[] c = "x".getBytes(StandardCharsets.UTF_8);
    byte[] bundle =
        signedStatement(
            st -> {
              resources(st).add(resource(NFC, sha256(c)));
              resources(st).add(resource(NFD, sha256(c)));
            });
    refused(model, bundle, "same name under Unicode NFC normalization");
  }

  /** ...and a signer refuses to produce one (exit 2, nothing written). */
  @Test
  void modelWithNormalizationTwinFilesIsNotSigned() throws Exception {
    Path model = model();
    try {
      Files.writeString(model.resolve(NFC), "one");
      Files.writeString(model.resolve(NFD), "two");
    } catch (IOException | java.nio.file.InvalidPathException e) {
      assumeTrue(false, "this filesystem cannot hold both names: " + e);
    }
    assumeTrue(Files.list(model).count() >= 7, "filesystem normalizes names");
    Cli sign = SampleModels.signWithDemoKey(model);
    assertFailedClearly(sign, 2, "differ only by Unicode normalization");
    assertFalse(Files.exists(model.resolve("model.sig")));
  }

  /**
   * A file on disk whose name is the NFD form of a signed NFC name is a different name: it is
   * reported missing and extra, never silently matched.
   */
  @Test
  void fileRenamedToTheNfdFormOfASignedNfcNameIsReported() throws Exception {
    Path model = model();
    Files.writeString(model.resolve(NFC), "same bytes");
    assertEquals(0, SampleModels.signWithDemoKey(model).exitCode());
    Files.move(model.resolve(NFC), model.resolve(NFD));
    assumeTrue(!Files.exists(model.resolve(NFC)), "filesystem normalizes names");
    Cli v = verify(model);
    assertFailedClearly(v, 1, "missing: " + NFC, "extra (not signed): " + NFD);
  }

  // ---------------------------------------------------------------- model contents

  @Test
  void symlinkEscapingTheRootIsRefused() throws Exception {
    Path model = model();
    assertEquals(0, SampleModels.signWithDemoKey(model).exitCode());
    Files.writeString(tmp.resolve("secret.txt"), "outside");
    Files.createSymbolicLink(model.resolve("escape"), Path.of("../secret.txt"));
    assertFailedClearly(verify(model), 1, "'escape'", "symlink");
  }

  @Test
  void symlinkLoopIsRefusedWithoutHanging() throws Exception {
    Path model = model();
    assertEquals(0, SampleModels.signWithDemoKey(model).exitCode());
    Files.createSymbolicLink(model.resolve("tokenizer/loop"), Path.of(".."));
    Files.createSymbolicLink(model.resolve("self"), Path.of("self"));
    Cli v = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> verify(model));
    assertFailedClearly(v, 1, "symlink");
    assertTrue(v.err().contains("'tokenizer/loop'") || v.err().contains("'self'"), v.all());
  }

  @Test
  void fifoInTheModelIsRefusedWithoutBlocking() throws Exception {
    Path model = model();
    assertEquals(0, SampleModels.signWithDemoKey(model).exitCode());
    assumeTrue(mkfifo(model.resolve("pipe")), "mkfifo is not available");
    Cli v = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> verify(model));
    assertFailedClearly(v, 1, "'pipe'", "not a regular file");
    Cli sign =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> SampleModels.signWithDemoKey(model, "--overwrite=true"));
    assertFailedClearly(sign, 2, "'pipe'", "not a regular file");
  }

  @Test
  void deviceNodeInTheModelIsRefused() throws Exception {
    Path model = model();
    assertEquals(0, SampleModels.signWithDemoKey(model).exitCode());
    // /dev/zero's numbers: reading it would never end.
    assumeTrue(run("mknod", model.resolve("zero").toString(), "c", "1", "5"), "mknod not allowed");
    Cli v = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> verify(model));
    assertFailedClearly(v, 1, "'zero'", "not a regular file");
  }

  @Test
  void directoryWhereAFileWasSignedIsReported() throws Exception {
    Path model = model();
    assertEquals(0, SampleModels.signWithDemoKey(model).exitCode());
    Files.delete(model.resolve("config.json"));
    Files.createDirectory(model.resolve("config.json"));
    assertFailedClearly(verify(model), 1, "missing: config.json");
    Files.writeString(model.resolve("config.json/inner"), "{}");
    assertFailedClearly(
        verify(model), 1, "missing: config.json", "extra (not signed): config.json/inner");
  }

  // ---------------------------------------------------------------- bundle shapes

  /** A ~100 MB signature file is refused by its size before it is read into memory. */
  @Test
  void hugeBundleFailsFastOnSize() throws Exception {
    Path model = model();
    Path sig = model.resolve("model.sig");
    try (RandomAccessFile f = new RandomAccessFile(sig.toFile(), "rw")) {
      f.write("{\"mediaType\":\"".getBytes(StandardCharsets.UTF_8));
      f.setLength(100L << 20); // sparse: cheap to make, expensive to read
    }
    long start = System.nanoTime();
    Cli v = verify(model);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertFailedClearly(v, 1, "model.sig", "larger than " + Json.MAX_DOCUMENT_BYTES + " bytes");
    System.out.println("100 MB bundle refused in " + ms + " ms");
  }

  @Test
  void deeplyNestedJsonIsRefused() throws Exception {
    Path model = model();
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    refused(
        model,
        ("{\"mediaType\":" + deep + "}").getBytes(StandardCharsets.UTF_8),
        "not valid JSON",
        "nesting depth");
    // Deep nesting inside a validly signed statement.
    byte[] payload =
        ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"x\":" + deep + "}")
            .getBytes(StandardCharsets.UTF_8);
    refused(model, demo.sign(payload), "signed statement is not valid JSON", "nesting depth");
  }

  @Test
  void wrongTypesAndDuplicateKeysInTheBundleAreRefused() throws Exception {
    Path model = model();
    byte[] good = signedStatement(st -> {});
    ObjectNode b = (ObjectNode) Json.parse(good, "bundle");
    ((ObjectNode) b.get("dsseEnvelope")).put("signatures", "AAAA");
    refused(model, json(b), "signatures must be an array");

    b = (ObjectNode) Json.parse(good, "bundle");
    b.put("verificationMaterial", 42);
    refused(model, json(b), "verificationMaterial must be an object");

    String dup =
        new String(good, StandardCharsets.UTF_8)
            .replaceFirst("\\{", "{\"mediaType\":\"application/json\",");
    refused(model, dup.getBytes(StandardCharsets.UTF_8), "not valid JSON", "mediaType");
  }

  @Test
  void dsseWithZeroOrTwoSignaturesIsRefused() throws Exception {
    Path model = model();
    byte[] good = signedStatement(st -> {});
    ObjectNode b = (ObjectNode) Json.parse(good, "bundle");
    ArrayNode sigs = (ArrayNode) b.at("/dsseEnvelope/signatures");
    sigs.add(sigs.get(0).deepCopy());
    refused(model, json(b), "exactly one signature, found 2");
    sigs.removeAll();
    refused(model, json(b), "exactly one signature, found 0");
  }

  @Test
  void validlySignedPayloadThatIsNotAnInTotoStatementIsRefused() throws Exception {
    Path model = model();
    refused(
        model,
        demo.sign("hello, world".getBytes(StandardCharsets.UTF_8)),
        "signed statement is not valid JSON");
    refused(
        model,
        demo.sign("{\"foo\":1}".getBytes(StandardCharsets.UTF_8)),
        "statement has no '_type'");
    refused(model, demo.sign("[]".getBytes(StandardCharsets.UTF_8)), "must be a JSON object");
  }

  @Test
  void validlySignedStatementWithTwoSubjectsOrAWrongSubjectDigestIsRefused() throws Exception {
    Path model = model();
    ObjectNode two = genuine.deepCopy();
    ((ArrayNode) two.get("subject")).add(two.get("subject").get(0).deepCopy());
    refused(model, demo.sign(json(two)), "exactly one subject, found 2");

    ObjectNode wrong = genuine.deepCopy();
    String bogus = HEX.formatHex(sha256(new byte[] {1}));
    ((ObjectNode) wrong.at("/subject/0/digest")).put("sha256", bogus);
    refused(model, demo.sign(json(wrong)), "subject digest " + bogus, "does not match");
  }

  /**
   * Policy: base64 is decoded leniently, as protobuf-JSON (Go, Python) Sigstore clients do; Java's
   * decoder accepts non-zero trailing bits and missing padding. This is safe because the signature
   * covers the decoded bytes: every spelling that decodes to the same payload verifies the same
   * statement, and a spelling that decodes to anything else fails the signature check.
   */
  @Test
  void nonCanonicalBase64DecodesToTheSameSignedBytes() throws Exception {
    Path model = model();
    // Trailing spaces (valid JSON) make the payload length 1 mod 3: base64 "xx==" has 4 unused
    // bits.
    byte[] statement = json(genuine);
    String padded =
        new String(statement, StandardCharsets.UTF_8) + " ".repeat((4 - statement.length % 3) % 3);
    assertEquals(1, padded.length() % 3);
    ObjectNode b =
        (ObjectNode) Json.parse(demo.sign(padded.getBytes(StandardCharsets.UTF_8)), "bundle");
    ObjectNode env = (ObjectNode) b.get("dsseEnvelope");
    String payload = env.get("payload").textValue();
    assertTrue(payload.endsWith("=="), payload);
    String unpadded = payload.replaceAll("=+$", "");
    String trailingBits = flipLowestBit(unpadded);
    assertFalse(payload.equals(trailingBits));
    for (String spelling : List.of(unpadded, trailingBits)) {
      assertArrayEquals(
          Base64.getDecoder().decode(payload), Base64.getDecoder().decode(spelling), spelling);
      env.put("payload", spelling);
      Files.write(model.resolve("model.sig"), json(b));
      Cli v = verify(model);
      assertEquals(0, v.exitCode(), v.all());
    }
    // Any spelling that changes the decoded bytes is a different payload: the signature fails.
    char[] c = payload.toCharArray();
    c[10] = c[10] == 'A' ? 'B' : 'A';
    env.put("payload", new String(c));
    refused(model, json(b));
  }

  /** Flips the lowest bit of the last base64 digit: the unused trailing bits change. */
  private static String flipLowestBit(String unpadded) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int last = alphabet.indexOf(unpadded.charAt(unpadded.length() - 1));
    return unpadded.substring(0, unpadded.length() - 1) + alphabet.charAt(last ^ 1);
  }

  // ---------------------------------------------------------------- keys

  @Test
  void wrongKeyTypesAreUsageErrorsWithClearMessages() throws Exception {
    Path model = model();
    KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
    rsaGen.initialize(2048);
    KeyPair rsa = rsaGen.generateKeyPair();
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

    Path rsaPub = pem(tmp.resolve("rsa-pub.pem"), rsa.getPublic());
    Path edPriv = pem(tmp.resolve("ed.pem"), new JcaPKCS8Generator(ed.getPrivate(), null));
    Path rsaPriv = pem(tmp.resolve("rsa.pem"), new JcaPKCS8Generator(rsa.getPrivate(), null));

    assertEquals(0, SampleModels.signWithDemoKey(model).exitCode());
    Cli v = Cli.run("verify", "--model=" + model, "--verifier=key", "--publicKey=" + rsaPub);
    assertFailedClearly(v, 2, "rsa-pub.pem", "got RSA");

    Files.delete(model.resolve("model.sig"));
    for (Path priv : List.of(edPriv, rsaPriv)) {
      Cli s = Cli.run("sign", "--model=" + model, "--signer=key", "--privateKey=" + priv);
      assertFailedClearly(s, 2, priv.getFileName().toString(), "only EC keys");
      assertFalse(Files.exists(model.resolve("model.sig")));
    }

    TestPems.KeyFiles enc = TestPems.newEncryptedKey(tmp, "correct horse");
    Cli noPassword =
        Cli.run("sign", "--model=" + model, "--signer=key", "--privateKey=" + enc.privateKey());
    assertFailedClearly(noPassword, 2, "is encrypted: a password is required");
    assertFalse(Files.exists(model.resolve("model.sig")));
  }

  @Test
  void certificateWhoseKeyDoesNotMatchIsAUsageError() throws Exception {
    Path model = model();
    Path keys = Interop.certificateKeys();
    Cli s =
        Cli.run(
            "sign",
            "--model=" + model,
            "--signer=certificate",
            "--privateKey=" + SampleModels.demoPrivateKey(),
            "--signingCertificate=" + keys.resolve("signing-key-cert.pem"),
            "--certificateChain=" + keys.resolve("int-ca-cert.pem"));
    assertFailedClearly(s, 2, "signing certificate", "different key than the private key");
    assertFalse(Files.exists(model.resolve("model.sig")));
  }

  // ---------------------------------------------------------------- utilities

  private static Path pem(Path file, Object o) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(text)) {
      w.writeObject(o);
    }
    return Files.writeString(file, text.toString());
  }

  static boolean mkfifo(Path p) {
    return run("mkfifo", p.toString());
  }

  private static boolean run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
