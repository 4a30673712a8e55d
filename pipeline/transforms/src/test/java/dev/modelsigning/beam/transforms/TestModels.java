package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.spec.KeyPassword;
import dev.modelsigning.beam.spec.Material;
import dev.modelsigning.beam.spec.SecretFile;
import dev.modelsigning.beam.spec.SignerSpec;
import dev.modelsigning.beam.spec.VerifierSpec;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.local.ModelSigning;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.model.LocalModelLister;
import dev.modelsigning.core.model.ModelFile;
import dev.modelsigning.core.signing.KeySigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Models on disk for the transform tests, the requests that name them, and what the core (no Beam)
 * computes for them: the reference every pipeline result is compared with.
 */
final class TestModels {
  /** Shard size of the shards-method tests: small, so files end on and between boundaries. */
  static final long SHARD = 16;

  static final Path PRIVATE_KEY = sampleKey("demo-private-key.pem");
  static final Path PUBLIC_KEY = sampleKey("demo-public-key.pem");

  /**
   * Files of {@link #rich}, in model_signing's resource order (path components by code point), with
   * their sizes; {@code .git/config} is also written but ignored by default.
   */
  static final List<String> RICH_FILES =
      List.of(
          ".hidden:7",
          "config.json:40", // 2 shards and 8 bytes
          "empty.bin:0", // a resource with the files method, no shard with shards
          "sub/.dotdir/x:3",
          "tokenizer/vocab.txt:5", // before tokenizer.json: components compare first
          "tokenizer.json:17",
          "weights/model-00001.bin:32", // ends exactly on a shard boundary
          "weights/model-00002.bin:16", // exactly one shard
          "weights/nested/deep/layer.bin:33");

  private TestModels() {}

  private static Path sampleKey(String name) {
    // Surefire runs in the module directory, pipeline/transforms.
    return Path.of("..", "sample", "keys", name).toAbsolutePath().normalize();
  }

  /** A model with nested dirs, dotfiles, an empty file and shard-boundary sizes. */
  static Path rich(Path parent, String name) {
    Path model = parent.resolve(name);
    for (String entry : RICH_FILES) {
      int colon = entry.lastIndexOf(':');
      write(model, entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1)));
    }
    write(model, ".git/config", 10);
    return model;
  }

  /** A single-file model of three whole shards. */
  static Path singleFile(Path parent, String name) {
    return write(parent, name, 48);
  }

  /** A small directory model. */
  static Path small(Path parent, String name) {
    Path model = parent.resolve(name);
    write(model, "config.json", 12);
    write(model, "weights/w.bin", 100);
    return model;
  }

  /** Writes {@code size} bytes, different for every path, and returns the file. */
  static Path write(Path dir, String relative, int size) {
    byte[] data = new byte[size];
    new Random(relative.hashCode() * 31L + size).nextBytes(data);
    Path file = dir.resolve(relative);
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static SerializationSettings files() {
    return SerializationSettings.files(HashAlgorithm.SHA256, false, IgnorePaths.DEFAULTS);
  }

  static SerializationSettings shards() {
    return SerializationSettings.shards(HashAlgorithm.SHA256, SHARD, false, IgnorePaths.DEFAULTS);
  }

  /** Hash only (no signature), ignoring model_signing's defaults. */
  static ModelRequest hashRequest(Path model, SerializationSettings settings) {
    return ModelRequest.toSign(
        ModelLocation.of(model.toString()), settings, settings.ignorePaths(), null);
  }

  /** Sign into {@code <model>/model.sig}, which the listing then ignores, as the CLI does. */
  static ModelRequest signRequest(Path model, SerializationSettings settings) {
    List<String> ignores = IgnorePaths.of("model.sig", List.of()).sorted();
    SerializationSettings s =
        new SerializationSettings(
            settings.method(),
            settings.hashAlgorithm(),
            settings.shardSize(),
            settings.allowSymlinks(),
            ignores);
    return ModelRequest.toSign(
        ModelLocation.of(model.toString()), s, ignores, model.resolve("model.sig").toString());
  }

  /** The core in-process hasher's manifest for what the request names. */
  static Manifest coreManifest(ModelRequest request) {
    return LocalModelHasher.hash(
        request.location().localPath(), request.settings(), request.listingPolicy());
  }

  /** The core's listing of what the request names. */
  static List<ModelFile> coreFiles(ModelRequest request) {
    ListingPolicy policy = request.listingPolicy();
    return policy.select(LocalModelLister.list(request.location().localPath()));
  }

  static long bytes(List<ModelFile> files) {
    return files.stream().mapToLong(ModelFile::size).sum();
  }

  /** Signs with the core facade (whole files, SHA-256) into {@code <model>/model.sig}. */
  static ModelSigning.SignedModel signWithCore(Path model) {
    return ModelSigning.sign(
        model,
        KeySigner.fromPem(PRIVATE_KEY, null),
        ModelSigning.Request.files(model.resolve("model.sig")));
  }

  static SignerSpec keySigner() {
    return SignerSpec.key(
        SecretFile.at("--privateKey", PRIVATE_KEY.toString()), KeyPassword.none());
  }

  static VerifierSpec keyVerifier() {
    return VerifierSpec.key(Material.read("--publicKey", PUBLIC_KEY.toString()));
  }

  static String sha256(Manifest manifest) {
    return "sha256:" + manifest.subjectDigestHex();
  }

  /** Flips one byte in place: same size, new content. */
  static void tamper(Path file) {
    try {
      byte[] data = Files.readAllBytes(file);
      data[data.length / 2] ^= 0x5a;
      Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The resource names the contract gives the rich model, derived by hand from {@link #RICH_FILES}
   * (not by the planner under test): a file each, or {@code path:start:end} per shard.
   */
  static List<String> richResourceNames(boolean shards) {
    List<String> names = new ArrayList<>();
    for (String entry : RICH_FILES) {
      int colon = entry.lastIndexOf(':');
      String path = entry.substring(0, colon);
      long size = Long.parseLong(entry.substring(colon + 1));
      if (!shards) {
        names.add(path);
        continue;
      }
      for (long start = 0; start < size; start += SHARD) {
        names.add(path + ":" + start + ":" + Math.min(size, start + SHARD));
      }
    }
    return names;
  }

  /** SHA-256 of a file's bytes {@code [start, end)}, with the JDK alone, as hex. */
  static String sha256Hex(Path file, int start, int end) {
    try {
      byte[] data = Files.readAllBytes(file);
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(java.util.Arrays.copyOfRange(data, start, end)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
