package dev.modelsigning.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-process engine (the default for local models) and the Beam graph (on the DirectRunner,
 * with tasks made deliberately small) write byte-identical signature bundles for the same model,
 * key and settings: same resources, same order, same statement, same signature (ECDSA is
 * deterministic, RFC 6979). Models are built to trip ordering, empty files, shard boundaries and
 * single-file naming.
 */
class EngineEquivalenceTest {
  private static final int SHARD = 1000;

  @TempDir Path tmp;

  /** Paths and sizes; sizes around the shard size test every boundary case. */
  private static Map<String, Integer> trickyFiles() {
    Map<String, Integer> files = new TreeMap<>();
    files.put("tokenizer.json", 120); // sorts after tokenizer/vocab.txt (path components)
    files.put("tokenizer/vocab.txt", 333);
    files.put("tokenizer-extra/a", 1);
    files.put(".hidden/config", 17); // dotfiles are part of the model
    files.put("é-weights.bin", SHARD); // exactly one shard; non-ASCII sorts by code point
    files.put("z-weights.bin", SHARD + 1); // one byte into a second shard
    files.put("\uD835\uDD18-weights.bin", 3 * SHARD - 1); // astral code point (UTF-16 pair)
    files.put("\uFB01-weights.bin", 2 * SHARD); // BMP code point above the pair's surrogates
    files.put("empty.txt", 0); // a resource for files, none for shards
    files.put("deep/a/b/c/d/model.safetensors", 5 * SHARD + 7);
    files.put(".git/HEAD", 20); // ignored by default
    return files;
  }

  private Path build(String name, Map<String, Integer> files) throws IOException {
    Path root = Files.createDirectories(tmp.resolve(name));
    Random random = new Random(name.hashCode());
    for (Map.Entry<String, Integer> e : files.entrySet()) {
      Path f = root.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      byte[] b = new byte[e.getValue()];
      random.nextBytes(b);
      Files.write(f, b);
    }
    return root;
  }

  private static byte[] sign(Path model, List<String> extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("sign", "--model=" + model));
    args.addAll(
        List.of("--signer=key", "--privateKey=" + SampleModels.demoPrivateKey(), "--overwrite"));
    args.addAll(extra);
    Cli r = Cli.run(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.all());
    Path sig =
        Files.isDirectory(model)
            ? model.resolve("model.sig")
            : model.resolveSibling(model.getFileName() + ".sig");
    return Files.readAllBytes(sig);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"files", "shards"})
  void bothEnginesWriteTheSameBundle(String method) throws IOException {
    Path model = build("tricky-" + method, trickyFiles());
    List<String> settings = List.of("--method=" + method, "--shardSize=" + SHARD);
    byte[] inProcess = sign(model, settings);
    List<String> beam = new ArrayList<>(settings);
    beam.addAll(List.of("--runner=DirectRunner", "--hashBatchBytes=1500"));
    byte[] onBeam = sign(model, beam);
    assertArrayEquals(inProcess, onBeam, new String(inProcess) + "\n" + new String(onBeam));
    // and verification of each engine's bundle passes on the other engine
    Cli verify =
        Cli.run(
            "verify",
            "key",
            model.toString(),
            "--public-key",
            SampleModels.demoPublicKey().toString(),
            "--method=" + method);
    assertEquals(2, verify.exitCode(), "verify takes no --method: the statement says it");
    Cli verifyBeam =
        Cli.run(
            "verify",
            "--model=" + model,
            "--verifier=key",
            "--publicKey=" + SampleModels.demoPublicKey(),
            "--runner=DirectRunner");
    assertEquals(0, verifyBeam.exitCode(), verifyBeam.all());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"files", "shards"})
  void singleFileModelIsNamedDotOnBothEngines(String method) throws IOException {
    Path dir = build("single-" + method, Map.of("weights.bin", 2 * SHARD + 5));
    Path model = dir.resolve("weights.bin");
    List<String> settings = List.of("--method=" + method, "--shardSize=" + SHARD);
    byte[] inProcess = sign(model, settings);
    List<String> beam = new ArrayList<>(settings);
    beam.add("--runner=DirectRunner");
    assertArrayEquals(inProcess, sign(model, beam));
  }
}
