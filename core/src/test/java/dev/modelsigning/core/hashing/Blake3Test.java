package dev.modelsigning.core.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.testing.Fixtures;
import dev.modelsigning.core.verify.KeyVerifier;
import dev.modelsigning.core.verify.ModelVerifier;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code blake3} as model_signing v1.1 offers it: the BLAKE3 digest itself (checked against the
 * official test vectors), the labels model_signing writes, and its rule that BLAKE3 hashes whole
 * files only.
 */
class Blake3Test {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path tmp;

  /** The input of the official vectors: bytes 0, 1, ..., 250, 0, 1, ... */
  private static byte[] vectorInput(int length) {
    byte[] in = new byte[length];
    for (int i = 0; i < length; i++) {
      in[i] = (byte) (i % 251);
    }
    return in;
  }

  private static String blake3(byte[] data, int buffer) throws Exception {
    return HEX.formatHex(
        new RangeHasher(buffer)
            .hash(
                Channels.newChannel(new ByteArrayInputStream(data)),
                data.length,
                HashAlgorithm.BLAKE3,
                "vector"));
  }

  /**
   * BLAKE3-team/BLAKE3 {@code test_vectors/test_vectors.json}, mode {@code hash}, first 32 bytes of
   * the extended output. The lengths straddle the 1024-byte chunk and the tree's merge points; each
   * is fed whole and through a 1000-byte buffer, so updates end mid-chunk.
   */
  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({
    "0, af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
    "1, 2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213",
    "1023, 10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11",
    "1024, 42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7",
    "1025, d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444",
    "2048, e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a",
    "2049, 5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030",
    "3072, b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd2",
    "3073, 7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd3",
    "8193, bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3b",
    "31744, 62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47",
    "102400, bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085",
  })
  void officialTestVectors(int length, String expected) throws Exception {
    byte[] input = vectorInput(length);
    assertEquals(expected, blake3(input, 1 << 20));
    assertEquals(expected, blake3(input, 1000));
  }

  /** model_signing's own expectation ({@code tests/_hashing/memory_test.py}, TestBLAKE3). */
  @Test
  void modelSigningKnownValue() throws Exception {
    assertEquals(
        "f3adfd721502f7d9510368688a392ab4f29dbff47092c0aea25f638d4985a8b1",
        blake3("Test string".getBytes(StandardCharsets.UTF_8), 4));
    assertEquals(32, HashAlgorithm.BLAKE3.digestLength());
    assertEquals(HashAlgorithm.BLAKE3, HashAlgorithm.fromLabel("blake3"));
  }

  /**
   * The labels model_signing v1.1 writes for {@code hashing_algorithm="blake3"}: its file
   * serialization records the hasher's {@code digest_name}, {@code "blake3"}, both as {@code
   * hash_type} and as every resource's {@code algorithm} (no {@code -sharded-} suffix, no {@code
   * shard_size}); the subject stays SHA-256 over the raw digests.
   */
  @Test
  void statementLabelsAreModelSigningsAndRoundTrip() throws Exception {
    Path model = Fixtures.build("sample_model_folder", tmp);
    Manifest m =
        LocalModelHasher.hash(
            model,
            SerializationSettings.files(HashAlgorithm.BLAKE3, false, List.of(".git")),
            new ListingPolicy(IgnorePaths.of(null, List.of()), false));
    assertEquals(10, m.resources().size());
    JsonNode statement = Json.parse(StatementWriter.write(m), "statement");
    JsonNode serialization = statement.at("/predicate/serialization");
    assertEquals("files", serialization.get("method").textValue());
    assertEquals("blake3", serialization.get("hash_type").textValue());
    assertTrue(serialization.get("shard_size") == null, serialization.toString());
    for (JsonNode r : statement.at("/predicate/resources")) {
      assertEquals("blake3", r.get("algorithm").textValue());
      assertEquals(64, r.get("digest").textValue().length());
    }
    // Each resource is the BLAKE3 of its file; the subject is SHA-256 over the raw digests.
    String f0 = "This is file f0 in root.";
    assertEquals(
        blake3(f0.getBytes(StandardCharsets.UTF_8), 7),
        statement.at("/predicate/resources").get(6).get("digest").textValue());
    assertEquals("f0", statement.at("/predicate/resources").get(6).get("name").textValue());
    var sha = HashAlgorithm.sha256();
    m.resources().forEach(r -> sha.update(r.digest()));
    assertEquals(HEX.formatHex(sha.digest()), statement.at("/subject/0/digest/sha256").textValue());

    assertEquals(m, StatementReader.read(StatementWriter.write(m)).manifest());

    // Signed and verified end to end; a changed file is named.
    KeyPair kp = TestPki.ec("secp256r1");
    byte[] bundle = KeySigner.of(kp).sign(StatementWriter.write(m));
    KeyVerifier key = KeyVerifier.of(kp.getPublic());
    assertEquals(10, ModelVerifier.verify(model, bundle, key, null, List.of()).fileCount());
    Fixtures.write(model.resolve("d1/f11"), "This is file f11 in d1!");
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> ModelVerifier.verify(model, bundle, key, null, List.of()));
    assertTrue(e.getMessage().contains("1 changed: d1/f11"), e.getMessage());
  }

  /**
   * model_signing's {@code use_shard_serialization(hashing_algorithm="blake3")} silently hashes
   * whole files instead, so a BLAKE3 shard manifest is one it neither writes nor verifies: asking
   * for it is a usage error here, and a signed one does not verify.
   */
  @Test
  void shardsRefuseBlake3AtSigningAndVerification() throws Exception {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> SerializationSettings.shards(HashAlgorithm.BLAKE3, 8, false, List.of()));
    assertTrue(
        e.getMessage().startsWith("blake3 cannot be used with the shards method"), e.getMessage());
    assertTrue(e.getMessage().contains("use the files method"), e.getMessage());

    Manifest sha = shardManifest();
    ObjectNode st = (ObjectNode) Json.parse(StatementWriter.write(sha), "statement");
    ((ObjectNode) st.at("/predicate/serialization")).put("hash_type", "blake3");
    for (JsonNode r : st.at("/predicate/resources")) {
      ((ObjectNode) r).put("algorithm", "blake3");
    }
    byte[] json = Json.MAPPER.writeValueAsBytes(st);
    VerificationException v =
        assertThrows(VerificationException.class, () -> StatementReader.read(json));
    assertTrue(v.getMessage().contains("predicate.serialization is invalid"), v.getMessage());
    assertTrue(v.getMessage().contains("blake3 cannot be used with the shards"), v.getMessage());
  }

  @Test
  void blake3DigestOfTheWrongLengthIsRefused() throws Exception {
    Manifest wrong =
        new Manifest(
            "m",
            SerializationSettings.files(HashAlgorithm.BLAKE3, false, List.of()),
            List.of(new ResourceDigest("w", "blake3", new byte[64])));
    VerificationException e =
        assertThrows(
            VerificationException.class, () -> StatementReader.read(StatementWriter.write(wrong)));
    assertTrue(e.getMessage().contains("blake3 digests have 32 bytes"), e.getMessage());
  }

  @Test
  void unknownLabelListsBlake3AmongTheSupported() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> HashAlgorithm.fromLabel("blake2"));
    assertTrue(e.getMessage().contains("(supported: sha256, blake2b, blake3)"), e.getMessage());
  }

  private Manifest shardManifest() {
    Path model = Fixtures.build("sample_model_file", tmp);
    return LocalModelHasher.hash(
        model,
        SerializationSettings.shards(HashAlgorithm.SHA256, 8, false, List.of()),
        new ListingPolicy(IgnorePaths.of(null, List.of()), false));
  }
}
