package dev.modelsigning.core.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashingTest {
  private static final HexFormat HEX = HexFormat.of();

  // Expected values computed with CPython's hashlib:
  //   python3 -c "import hashlib; print(hashlib.blake2b(b'This is a simple model').hexdigest())"
  //   python3 -c "import hashlib; print(hashlib.blake2b(b'').hexdigest())"
  //   python3 -c "import hashlib; print(hashlib.blake2b(b'x'*3000000).hexdigest())"
  //   python3 -c "import hashlib; print(hashlib.sha256(b'x'*3000000).hexdigest())"
  static final String BLAKE2B_SIMPLE_MODEL =
      "20e68afc59075f50f66f399d2cc590f2a93f58349dd6626c0f93bfa19d142b17"
          + "41029b102cbc7ec0b36ad8dc771d66e904ca9a874c76fcc242fee0bea557463f";
  static final String BLAKE2B_EMPTY =
      "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
          + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce";
  static final String BLAKE2B_3M_X =
      "c8d8df79867d525bef30358c4a26d0a490315bba91b67bbb0f16d68d768f28a9"
          + "21013cdb17606002fbfd4b49fe5451dcdae64c2480f7331af903c2604e855d77";
  static final String SHA256_3M_X =
      "e55b8bdf621ddaa8f462c74745db9680d3bb7536a9cf854f8d6668b34a287890";

  @TempDir Path tmp;

  private static String hash(byte[] data, HashAlgorithm alg, int buffer) throws Exception {
    ReadableByteChannel ch = Channels.newChannel(new ByteArrayInputStream(data));
    return HEX.formatHex(new RangeHasher(buffer).hash(ch, data.length, alg, "test"));
  }

  @Test
  void blake2bMatchesPythonHashlib() throws Exception {
    byte[] simple = "This is a simple model".getBytes(StandardCharsets.UTF_8);
    assertEquals(BLAKE2B_SIMPLE_MODEL, hash(simple, HashAlgorithm.BLAKE2B, 1 << 20));
    assertEquals(BLAKE2B_SIMPLE_MODEL, hash(simple, HashAlgorithm.BLAKE2B, 5)); // odd buffer
    assertEquals(BLAKE2B_EMPTY, hash(new byte[0], HashAlgorithm.BLAKE2B, 16));
    assertEquals(64, HashAlgorithm.BLAKE2B.digestLength());
  }

  @Test
  void largeInputAcrossManyBufferFills() throws Exception {
    byte[] xs = new byte[3_000_000];
    Arrays.fill(xs, (byte) 'x');
    assertEquals(BLAKE2B_3M_X, hash(xs, HashAlgorithm.BLAKE2B, 1 << 20));
    assertEquals(SHA256_3M_X, hash(xs, HashAlgorithm.SHA256, 1 << 20));
    assertEquals(SHA256_3M_X, hash(xs, HashAlgorithm.SHA256, 4093));
  }

  @Test
  void directByteBufferChannelsHashTheSame() throws Exception {
    // Channels that hand back bytes through the non-array path of the BouncyCastle digester.
    Path f = Fixtures.write(tmp.resolve("f"), "This is a simple model");
    try (var ch = java.nio.channels.FileChannel.open(f)) {
      ReadableByteChannel viaDirect =
          new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws java.io.IOException {
              ByteBuffer direct = ByteBuffer.allocateDirect(dst.remaining());
              int n = ch.read(direct);
              if (n > 0) {
                direct.flip();
                dst.put(direct);
              }
              return n;
            }

            @Override
            public boolean isOpen() {
              return true;
            }

            @Override
            public void close() {}
          };
      assertEquals(
          BLAKE2B_SIMPLE_MODEL,
          HEX.formatHex(new RangeHasher(7).hash(viaDirect, 22, HashAlgorithm.BLAKE2B, "f")));
    }
  }

  @Test
  void blake2bModelRoundTrips() throws Exception {
    Path model = Fixtures.build("sample_model_file", tmp);
    Manifest m =
        LocalModelHasher.hash(
            model,
            SerializationSettings.files(HashAlgorithm.BLAKE2B, false, List.of()),
            new ListingPolicy(IgnorePaths.of(null, List.of()), false));
    assertEquals(BLAKE2B_SIMPLE_MODEL, m.resources().get(0).hex());
    assertEquals("blake2b", m.resources().get(0).algorithm());
    assertEquals(m, StatementReader.read(StatementWriter.write(m)).manifest());

    Manifest sh =
        LocalModelHasher.hash(
            model,
            SerializationSettings.shards(HashAlgorithm.BLAKE2B, 8, false, List.of()),
            new ListingPolicy(IgnorePaths.of(null, List.of()), false));
    assertEquals("blake2b-sharded-8", sh.resources().get(0).algorithm());
    assertEquals(3, sh.resources().size());
    assertEquals(sh, StatementReader.read(StatementWriter.write(sh)).manifest());
  }

  @Test
  void shortChannelFails() {
    byte[] data = "only ten b".getBytes(StandardCharsets.UTF_8);
    ModelSigningException e =
        assertThrows(
            ModelSigningException.class,
            () ->
                new RangeHasher(4)
                    .hash(
                        Channels.newChannel(new ByteArrayInputStream(data)),
                        25,
                        HashAlgorithm.SHA256,
                        "weights.bin"));
    assertTrue(e.getMessage().contains("weights.bin"), e.getMessage());
    assertTrue(e.getMessage().contains("changed while it was being hashed"), e.getMessage());
    assertTrue(e.getMessage().contains("15 bytes early"), e.getMessage());
  }

  @Test
  void readsExactlyTheAnnouncedLength() throws Exception {
    byte[] data = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    ReadableByteChannel ch = Channels.newChannel(new ByteArrayInputStream(data));
    byte[] first = new RangeHasher(3).hash(ch, 8, HashAlgorithm.SHA256, "f");
    byte[] second = new RangeHasher(3).hash(ch, 8, HashAlgorithm.SHA256, "f");
    assertEquals(
        HEX.formatHex(HashAlgorithm.sha256().digest(Arrays.copyOfRange(data, 0, 8))),
        HEX.formatHex(first));
    assertEquals(
        HEX.formatHex(HashAlgorithm.sha256().digest(Arrays.copyOfRange(data, 8, 16))),
        HEX.formatHex(second));
  }

  @Test
  void fileThatShrankBeforeHashingFails() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("m"));
    Path f = Fixtures.write(model.resolve("w"), "0123456789");
    // Plan against the listed size, then truncate the file before hashing.
    var settings = SerializationSettings.files(HashAlgorithm.SHA256, false, List.of());
    var policy = new ListingPolicy(IgnorePaths.of(null, List.of()), false);
    var files = policy.select(dev.modelsigning.core.model.LocalModelLister.list(model));
    Files.write(f, "0123".getBytes(StandardCharsets.UTF_8));
    var unit = dev.modelsigning.core.manifest.WorkPlanner.plan(files, settings).get(0);
    try (var ch = java.nio.channels.FileChannel.open(f)) {
      ModelSigningException e =
          assertThrows(
              ModelSigningException.class,
              () -> new RangeHasher().hash(ch, unit.length(), HashAlgorithm.SHA256, "w"));
      assertTrue(e.getMessage().contains("changed while it was being hashed"), e.getMessage());
    }
  }

  @Test
  void fileThatGrewAfterListingIsNotSignedByItsPrefix() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("m"));
    Path f = Fixtures.write(model.resolve("w"), "0123456789");
    var policy = new ListingPolicy(IgnorePaths.of(null, List.of()), false);
    var files = policy.select(dev.modelsigning.core.model.LocalModelLister.list(model));
    Files.write(f, "0123456789 and more".getBytes(StandardCharsets.UTF_8));
    for (SerializationSettings s :
        List.of(
            SerializationSettings.files(HashAlgorithm.SHA256, false, List.of()),
            SerializationSettings.shards(HashAlgorithm.SHA256, 4, false, List.of()))) {
      ModelSigningException e =
          assertThrows(
              ModelSigningException.class, () -> LocalModelHasher.hashFiles(model, s, files));
      assertTrue(e.getMessage().contains("'w'"), e.getMessage());
      assertTrue(e.getMessage().contains("changed while it was being hashed"), e.getMessage());
    }
    // Unchanged files hash as usual through the same path.
    var fresh = policy.select(dev.modelsigning.core.model.LocalModelLister.list(model));
    assertEquals(
        1,
        LocalModelHasher.hashFiles(
                model, SerializationSettings.files(HashAlgorithm.SHA256, false, List.of()), fresh)
            .resources()
            .size());
  }
}
