package dev.modelsigning.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.testing.Fixtures;
import dev.modelsigning.core.verify.ManifestComparison;
import dev.modelsigning.core.verify.VerificationPlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign-side manifest vs re-hashed model: every difference named; OMS variants accepted. */
class ComparisonTest {
  @TempDir Path tmp;

  private static byte[] sha(String s) {
    return HashAlgorithm.sha256().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  private Manifest sign(Path model, SerializationSettings s) {
    Manifest m =
        LocalModelHasher.hash(
            model, s, new ListingPolicy(IgnorePaths.of("model.sig", List.of()), false));
    return StatementReader.read(StatementWriter.write(m)).manifest();
  }

  @Test
  void changedMissingAndExtraAreAllNamed() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("keep"), "k");
    Fixtures.write(m.resolve("change"), "before");
    Fixtures.write(m.resolve("dir/remove"), "r");
    SerializationSettings s =
        SerializationSettings.files(
            HashAlgorithm.SHA256, false, IgnorePaths.of("model.sig", List.of()).sorted());
    Manifest signed = sign(m, s);

    Fixtures.write(m.resolve("change"), "after");
    Files.delete(m.resolve("dir/remove"));
    Fixtures.write(m.resolve("new file"), "n");
    Fixtures.write(m.resolve("model.sig"), "{}"); // ignored
    SignedStatement st = StatementReader.read(StatementWriter.write(signed));
    VerificationPlan plan = VerificationPlan.of(st, "model.sig", List.of());
    Manifest actual = LocalModelHasher.hash(m, plan.settings(), plan.listingPolicy());
    VerificationException e =
        assertThrows(
            VerificationException.class, () -> ManifestComparison.requireMatch(signed, actual));
    String msg = e.getMessage();
    assertTrue(msg.contains("1 changed: change"), msg);
    assertTrue(msg.contains("1 missing: dir/remove"), msg);
    assertTrue(msg.contains("1 extra (not signed): new file"), msg);
  }

  @Test
  void shardedChangeNamesTheShard() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("w"), "0123456789abcdef01");
    SerializationSettings s = SerializationSettings.shards(HashAlgorithm.SHA256, 8, false, null);
    Manifest signed = sign(m, s);
    Fixtures.write(m.resolve("w"), "0123456789abcdeX01");
    Manifest actual = sign(m, s);
    VerificationException e =
        assertThrows(
            VerificationException.class, () -> ManifestComparison.requireMatch(signed, actual));
    assertTrue(e.getMessage().contains("1 changed: w:8:16"), e.getMessage());
    // Growing the file adds a shard: reported as extra.
    Fixtures.write(m.resolve("w"), "0123456789abcdef01234567x");
    Manifest grown = sign(m, s);
    e =
        assertThrows(
            VerificationException.class, () -> ManifestComparison.requireMatch(signed, grown));
    assertTrue(e.getMessage().contains("w:16:24"), e.getMessage());
  }

  @Test
  void omsSingleFileNamedByBasenameAndPlainShardAlgorithm() throws Exception {
    Path f = Fixtures.write(tmp.resolve("signme-1"), "signme-1\n");
    // OMS v1.0 names the single file by its basename and labels shards with the plain hash.
    String json =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"signme-1\","
            + "\"digest\":{\"sha256\":\"afa48c8674afe334b8a7dea34f7b46ab256e9255edf8da2132792341b667a45b\"}}],"
            + "\"predicateType\":\"https://model_signing/signature/v1.0\",\"predicate\":{"
            + "\"serialization\":{\"method\":\"files\",\"hash_type\":\"sha256\",\"allow_symlinks\":false,"
            + "\"ignore_paths\":[]},\"resources\":[{\"name\":\"signme-1\",\"algorithm\":\"sha256\","
            + "\"digest\":\"bc9a717db6064a32cbe9eae6fc40651dd6d36ef1757183f590eff2b1765d7ebc\"}]}}";
    SignedStatement st = StatementReader.read(json.getBytes(StandardCharsets.UTF_8));
    VerificationPlan plan = VerificationPlan.of(st, null, List.of());
    ManifestComparison.requireMatch(
        st.manifest(), LocalModelHasher.hash(f, plan.settings(), plan.listingPolicy()));

    // Shards, OMS style: integer shard_size, algorithm "sha256", basename names.
    Manifest ours =
        LocalModelHasher.hash(
            f,
            SerializationSettings.shards(HashAlgorithm.SHA256, 4, false, List.of()),
            new ListingPolicy(IgnorePaths.of(null, List.of()), false));
    List<ResourceDigest> oms = new ArrayList<>();
    for (ResourceDigest r : ours.resources()) {
      oms.add(new ResourceDigest("signme-1" + r.name().substring(1), "sha256", r.digest()));
    }
    Manifest omsManifest = new Manifest("signme-1", ours.settings(), oms);
    String omsJson = new String(StatementWriter.write(omsManifest), StandardCharsets.UTF_8);
    assertTrue(omsJson.contains("\"name\":\"signme-1:0:4\",\"algorithm\":\"sha256\""), omsJson);
    SignedStatement omsSt = StatementReader.read(omsJson.getBytes(StandardCharsets.UTF_8));
    ManifestComparison.requireMatch(omsSt.manifest(), ours);
  }

  @Test
  void recordedIgnorePathsAreUsedExactly() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("m"));
    Fixtures.write(m.resolve("w"), "w");
    Fixtures.write(m.resolve("skip/x"), "x");
    Manifest signedManifest =
        new Manifest(
            "m",
            SerializationSettings.files(HashAlgorithm.SHA256, false, List.of("skip")),
            List.of(new ResourceDigest("w", "sha256", sha("w"))));
    SignedStatement st = StatementReader.read(StatementWriter.write(signedManifest));
    VerificationPlan plan = VerificationPlan.of(st, "model.sig", List.of());
    Fixtures.write(m.resolve("model.sig"), "{}");
    ManifestComparison.requireMatch(
        st.manifest(), LocalModelHasher.hash(m, plan.settings(), plan.listingPolicy()));
    // The signer recorded no .git: a .git directory is content, so it shows up as extra.
    Fixtures.write(m.resolve(".git/HEAD"), "h");
    Manifest withGit = LocalModelHasher.hash(m, plan.settings(), plan.listingPolicy());
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> ManifestComparison.requireMatch(st.manifest(), withGit));
    assertTrue(e.getMessage().contains(".git/HEAD"), e.getMessage());

    // Unrecorded (before v1.1): defaults, the signature and the user's paths.
    Manifest legacy =
        new Manifest(
            "m",
            SerializationSettings.files(HashAlgorithm.SHA256, false, null),
            List.of(new ResourceDigest("w", "sha256", sha("w"))));
    SignedStatement lst = StatementReader.read(StatementWriter.write(legacy));
    VerificationPlan lplan = VerificationPlan.of(lst, "model.sig", List.of("skip"));
    ManifestComparison.requireMatch(
        lst.manifest(), LocalModelHasher.hash(m, lplan.settings(), lplan.listingPolicy()));
    assertEquals(null, lst.manifest().settings().ignorePaths());
  }
}
