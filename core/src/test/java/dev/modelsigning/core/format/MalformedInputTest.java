package dev.modelsigning.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed bundles and statements fail closed with a {@link VerificationException} that says why.
 */
class MalformedInputTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] sha256(String s) {
    return HashAlgorithm.sha256().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Manifest manifest() {
    return new Manifest(
        "model",
        SerializationSettings.files(HashAlgorithm.SHA256, false, List.of(".git")),
        List.of(
            new ResourceDigest("a", "sha256", sha256("a")),
            new ResourceDigest("b/c", "sha256", sha256("c"))));
  }

  private static byte[] validBundle() {
    byte[] statement = StatementWriter.write(manifest());
    return BundleWriter.publicKeyBundle(
        new DsseEnvelope(statement, Statement.PAYLOAD_TYPE, new byte[] {1, 2, 3}, null),
        "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
  }

  private static ObjectNode tree(byte[] json) {
    return (ObjectNode) Json.parse(json, "test");
  }

  private static byte[] bytes(JsonNode n) throws Exception {
    return Json.MAPPER.writeValueAsBytes(n);
  }

  private static byte[] mutateBundle(Consumer<ObjectNode> edit) throws Exception {
    ObjectNode root = tree(validBundle());
    edit.accept(root);
    return bytes(root);
  }

  private static VerificationException bundleFails(byte[] json) {
    return assertThrows(VerificationException.class, () -> BundleReader.read(json));
  }

  private static void assertMessage(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }
  }

  @Test
  void validBundleReadsBack() {
    SigstoreBundle b = BundleReader.read(validBundle());
    assertEquals(manifest(), StatementReader.read(b.envelope().payload()).manifest());
  }

  @Test
  void truncatedJson() {
    byte[] full = validBundle();
    for (int len : new int[] {1, 10, full.length / 2, full.length - 1}) {
      byte[] cut = java.util.Arrays.copyOf(full, len);
      assertMessage(bundleFails(cut), "signature bundle", "not valid JSON");
    }
  }

  @Test
  void trailingGarbage() {
    byte[] full = validBundle();
    byte[] more = java.util.Arrays.copyOf(full, full.length + 2);
    more[full.length] = '{';
    more[full.length + 1] = '}';
    assertMessage(bundleFails(more), "not valid JSON");
  }

  @Test
  void notAnObject() {
    assertMessage(bundleFails("[]".getBytes(StandardCharsets.UTF_8)), "JSON object");
  }

  @Test
  void wrongMediaType() throws Exception {
    assertMessage(
        bundleFails(mutateBundle(r -> r.put("mediaType", "application/json"))),
        "mediaType",
        "application/json");
    assertMessage(bundleFails(mutateBundle(r -> r.remove("mediaType"))), "mediaType");
  }

  @Test
  void missingEnvelope() throws Exception {
    assertMessage(bundleFails(mutateBundle(r -> r.remove("dsseEnvelope"))), "dsseEnvelope");
  }

  @Test
  void messageSignatureBundle() throws Exception {
    VerificationException e =
        bundleFails(
            mutateBundle(
                r -> {
                  r.remove("dsseEnvelope");
                  r.putObject("messageSignature").put("signature", "AAAA");
                }));
    assertMessage(e, "not a model signature");
  }

  @Test
  void nonBase64Payload() throws Exception {
    assertMessage(
        bundleFails(
            mutateBundle(r -> ((ObjectNode) r.get("dsseEnvelope")).put("payload", "not base64!"))),
        "payload",
        "base64");
    assertMessage(
        bundleFails(
            mutateBundle(r -> ((ObjectNode) r.at("/dsseEnvelope/signatures/0")).put("sig", "%%%"))),
        "sig",
        "base64");
  }

  @Test
  void wrongPayloadType() throws Exception {
    assertMessage(
        bundleFails(
            mutateBundle(
                r -> ((ObjectNode) r.get("dsseEnvelope")).put("payloadType", "text/plain"))),
        "payloadType",
        "text/plain");
  }

  @Test
  void twoSignatures() throws Exception {
    VerificationException e =
        bundleFails(
            mutateBundle(
                r -> {
                  ArrayNode sigs = (ArrayNode) r.at("/dsseEnvelope/signatures");
                  sigs.add(sigs.get(0).deepCopy());
                }));
    assertMessage(e, "exactly one signature", "found 2");
  }

  @Test
  void zeroSignatures() throws Exception {
    VerificationException e =
        bundleFails(mutateBundle(r -> ((ArrayNode) r.at("/dsseEnvelope/signatures")).removeAll()));
    assertMessage(e, "exactly one signature", "found 0");
    assertMessage(
        bundleFails(mutateBundle(r -> ((ObjectNode) r.get("dsseEnvelope")).remove("signatures"))),
        "signatures");
  }

  @Test
  void emptySignature() throws Exception {
    assertMessage(
        bundleFails(
            mutateBundle(r -> ((ObjectNode) r.at("/dsseEnvelope/signatures/0")).put("sig", ""))),
        "sig",
        "empty");
  }

  @Test
  void twoKindsOfVerificationMaterial() throws Exception {
    VerificationException e =
        bundleFails(
            mutateBundle(
                r ->
                    ((ObjectNode) r.get("verificationMaterial"))
                        .putObject("certificate")
                        .put("rawBytes", "AAAA")));
    assertMessage(e, "exactly one of", "found 2");
  }

  @Test
  void duplicateKeysInBundle() {
    String b64 = Base64.getEncoder().encodeToString(StatementWriter.write(manifest()));
    String json =
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
            + "\"verificationMaterial\":{\"publicKey\":{\"hint\":\"ab\"},\"tlogEntries\":[]},"
            + "\"dsseEnvelope\":{\"payload\":\""
            + b64
            + "\",\"payloadType\":\"application/vnd.in-toto+json\",\"payloadType\":\"application/vnd.in-toto+json\","
            + "\"signatures\":[{\"sig\":\"AQID\",\"keyid\":\"\"}]}}";
    assertMessage(
        bundleFails(json.getBytes(StandardCharsets.UTF_8)), "not valid JSON", "payloadType");
  }

  // ---- statements ----

  private static ObjectNode statement() {
    return tree(StatementWriter.write(manifest()));
  }

  /** Sets resources and a subject digest that matches them, so only the names are at fault. */
  private static byte[] withResources(String... names) throws Exception {
    ObjectNode st = statement();
    ArrayNode res = ((ObjectNode) st.get("predicate")).putArray("resources");
    MessageDigest subject = HashAlgorithm.sha256();
    for (String n : names) {
      byte[] d = sha256(n);
      subject.update(d);
      res.addObject().put("name", n).put("algorithm", "sha256").put("digest", HEX.formatHex(d));
    }
    ((ObjectNode) st.at("/subject/0/digest")).put("sha256", HEX.formatHex(subject.digest()));
    return bytes(st);
  }

  private static VerificationException statementFails(byte[] json) {
    return assertThrows(VerificationException.class, () -> StatementReader.read(json));
  }

  @Test
  void validStatementReads() throws Exception {
    assertEquals(2, StatementReader.read(withResources("x", "y/z")).manifest().resources().size());
  }

  @Test
  void twoSubjects() throws Exception {
    ObjectNode st = statement();
    ((ArrayNode) st.get("subject")).add(st.get("subject").get(0).deepCopy());
    assertMessage(statementFails(bytes(st)), "exactly one subject", "found 2");
    ((ArrayNode) st.get("subject")).removeAll();
    assertMessage(statementFails(bytes(st)), "exactly one subject", "found 0");
  }

  @Test
  void subjectDigestNotMatchingResources() throws Exception {
    ObjectNode st = statement();
    String wrong = HEX.formatHex(sha256("something else"));
    ((ObjectNode) st.at("/subject/0/digest")).put("sha256", wrong);
    assertMessage(statementFails(bytes(st)), "subject digest", wrong, "does not match");
  }

  @Test
  void resourceDigestChangedWithoutSubject() throws Exception {
    ObjectNode st = statement();
    ((ObjectNode) st.at("/predicate/resources/0")).put("digest", HEX.formatHex(sha256("tampered")));
    assertMessage(statementFails(bytes(st)), "does not match its resources");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../x", "a/../../x", "/abs", "a/./b", "./a", "a//b", "a/", "a\\b", "a\u0000b", ""})
  void unsafeResourceNames(String name) throws Exception {
    VerificationException e = statementFails(withResources("ok", name));
    assertMessage(e, "not a safe model path");
    assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), "control character in the message");
    if (name.indexOf('\u0000') >= 0) {
      assertMessage(e, "a\\u0000b", "control character");
    }
  }

  @Test
  void unsafeShardResourceNames() throws Exception {
    ObjectNode st = tree(withResources("../x:0:8"));
    ObjectNode ser = (ObjectNode) st.at("/predicate/serialization");
    ser.put("method", "shards");
    ser.put("shard_size", 8);
    assertMessage(statementFails(bytes(st)), "../x:0:8", "not a safe model path");
  }

  @Test
  void duplicateResourceNames() throws Exception {
    assertMessage(statementFails(withResources("a", "b", "a")), "'a'", "listed twice");
  }

  @Test
  void duplicateKeysInStatement() {
    String json =
        new String(StatementWriter.write(manifest()), StandardCharsets.UTF_8)
            .replace(
                "\"predicateType\":",
                "\"predicateType\":\"https://example.com/other\",\"predicateType\":");
    assertMessage(statementFails(json.getBytes(StandardCharsets.UTF_8)), "predicateType");
  }

  @Test
  void wrongTypes() throws Exception {
    ObjectNode st = statement();
    st.put("_type", "https://in-toto.io/Statement/v0.1");
    assertMessage(statementFails(bytes(st)), "_type", "Statement/v0.1");
    st = statement();
    st.put("predicateType", "https://slsa.dev/provenance/v1");
    assertMessage(statementFails(bytes(st)), "predicateType", "slsa.dev");
  }

  @Test
  void badDigests() throws Exception {
    for (String bad : List.of("zz", "abc", "")) {
      ObjectNode st = statement();
      ((ObjectNode) st.at("/predicate/resources/0")).put("digest", bad);
      assertMessage(statementFails(bytes(st)), "resource 'a'", "digest");
    }
  }

  @Test
  void digestOfWrongLengthForItsAlgorithm() throws Exception {
    // A 16-byte "sha256" digest can never be right; say so rather than report a changed file.
    ObjectNode st = statement();
    String short16 = "00112233445566778899aabbccddeeff";
    ((ObjectNode) st.at("/predicate/resources/0")).put("digest", short16);
    MessageDigest subject = HashAlgorithm.sha256();
    subject.update(HEX.parseHex(short16));
    subject.update(sha256("c"));
    ((ObjectNode) st.at("/subject/0/digest")).put("sha256", HEX.formatHex(subject.digest()));
    assertMessage(statementFails(bytes(st)), "resource 'a'", "32 bytes");
  }

  @Test
  void inconsistentAlgorithm() throws Exception {
    ObjectNode st = statement();
    ((ObjectNode) st.at("/predicate/resources/0")).put("algorithm", "md5");
    assertMessage(statementFails(bytes(st)), "resource 'a'", "md5");
  }

  @Test
  void badSerialization() throws Exception {
    ObjectNode st = statement();
    ((ObjectNode) st.at("/predicate/serialization")).put("method", "digest");
    assertMessage(statementFails(bytes(st)), "serialization", "digest");
    st = statement();
    ((ObjectNode) st.at("/predicate/serialization")).put("hash_type", "sha1");
    assertMessage(statementFails(bytes(st)), "sha1");
    st = statement();
    ObjectNode ser = (ObjectNode) st.at("/predicate/serialization");
    ser.put("method", "shards");
    assertMessage(statementFails(bytes(st)), "shard_size");
    for (double bad : new double[] {0, -8, 8.5}) {
      ser.put("shard_size", bad);
      assertMessage(statementFails(bytes(st)), "shard_size");
    }
  }
}
