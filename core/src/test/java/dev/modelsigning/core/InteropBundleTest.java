package dev.modelsigning.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.format.SigstoreBundle;
import dev.modelsigning.core.format.StatementFormat;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.format.VerificationMaterial;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.HashingMethod;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.testing.Fixtures;
import dev.modelsigning.core.testing.Interop;
import dev.modelsigning.core.verify.ManifestComparison;
import dev.modelsigning.core.verify.VerificationPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every real bundle model_signing wrote (v0.3.1 .. v1.1.0) and the OMS v1.0 vectors: parse the
 * bundle, read the statement, re-hash the model on disk with the recorded settings and compare. No
 * signature checks here.
 */
class InteropBundleTest {
  /** {signme-1\n, signme-2}. */
  static final String ROOT_NEWLINE =
      "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4";

  /** The single file "." = signme-1\n. */
  static final String ROOT_SINGLE =
      "afa48c8674afe334b8a7dea34f7b46ab256e9255edf8da2132792341b667a45b";

  /** {signme-1 (no newline), signme-2}. */
  static final String ROOT_NO_NEWLINE =
      "61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226";

  @TempDir Path tmp;

  static Stream<String> releaseDirs() throws Exception {
    try (Stream<Path> s = Files.list(Interop.releaseTests())) {
      return s
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("v(0\\.3\\.1|1\\.0\\.0|1\\.0\\.1|1\\.1\\.0)-.*"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void allReleaseDirsAreCovered() throws Exception {
    List<String> dirs = releaseDirs().toList();
    assertEquals(12, dirs.size(), dirs.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releaseDirs")
  void releaseBundleMatchesModelOnDisk(String dirName) throws Exception {
    Path dir = Interop.releaseTests().resolve(dirName);
    SigstoreBundle bundle = BundleReader.read(Files.readAllBytes(dir.resolve("model.sig")));
    SignedStatement signed = StatementReader.read(bundle.envelope().payload());
    assertEquals(HashingMethod.FILES, signed.manifest().settings().method());

    boolean singleFile =
        dirName.startsWith("v0.3.1-elliptic") || dirName.startsWith("v1.0.0-elliptic");
    Path model = singleFile ? dir.resolve("signme-1") : dir;
    // The signature lies inside a directory model; a single-file model's is its sibling.
    String sigInModel = singleFile ? null : "model.sig";
    List<String> userIgnores = dirName.startsWith("v1.0.1-") ? List.of("ignore-me") : List.of();

    VerificationPlan plan = VerificationPlan.of(signed, sigInModel, userIgnores);
    Manifest actual = LocalModelHasher.hash(model, plan.settings(), plan.listingPolicy());
    ManifestComparison.requireMatch(signed.manifest(), actual);
    assertEquals(signed.subjectDigestHex(), actual.subjectDigestHex());

    String expectedRoot;
    if (singleFile) {
      expectedRoot = ROOT_SINGLE;
    } else if (dirName.endsWith("-elliptic-key")) {
      expectedRoot = ROOT_NEWLINE; // v1.0.1 and v1.1.0 keys signed signme-1 with a newline
    } else {
      expectedRoot = ROOT_NO_NEWLINE;
    }
    assertEquals(expectedRoot, signed.subjectDigestHex());

    if (dirName.startsWith("v1.1.0-")) {
      assertEquals(
          List.of(".git", ".gitattributes", ".github", ".gitignore", "ignore-me", "model.sig"),
          signed.manifest().settings().ignorePaths());
    } else {
      assertNull(signed.manifest().settings().ignorePaths());
    }

    VerificationMaterial vm = bundle.material();
    if (dirName.endsWith("-elliptic-key")) {
      VerificationMaterial.PublicKey pk =
          assertInstanceOf(VerificationMaterial.PublicKey.class, vm);
      if (dirName.startsWith("v1.1.0-")) {
        assertEquals("e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e", pk.hint());
      } else {
        assertTrue(new String(pk.rawBytes()).contains("BEGIN PUBLIC KEY"));
      }
    } else if (dirName.endsWith("-certificate")) {
      assertEquals(
          2,
          assertInstanceOf(VerificationMaterial.CertificateChain.class, vm).certificates().size());
    } else {
      assertInstanceOf(VerificationMaterial.Certificate.class, vm);
      assertFalse(bundle.tlogEntries().isEmpty());
    }
  }

  /** v1.0.1 did not record ignore_paths: without the user's ignore, ignore-me is an extra file. */
  @Test
  void v101WithoutUserIgnoreReportsTheExtraFile() throws Exception {
    Path dir = Interop.releaseTests().resolve("v1.0.1-certificate");
    SignedStatement signed =
        StatementReader.read(
            BundleReader.read(Files.readAllBytes(dir.resolve("model.sig"))).envelope().payload());
    VerificationPlan plan = VerificationPlan.of(signed, "model.sig", List.of());
    Manifest actual = LocalModelHasher.hash(dir, plan.settings(), plan.listingPolicy());
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> ManifestComparison.requireMatch(signed.manifest(), actual));
    assertTrue(e.getMessage().contains("extra"), e.getMessage());
    assertTrue(e.getMessage().contains("ignore-me"), e.getMessage());
  }

  /** v0.2's per-file subjects read as a files/sha256 manifest that matches its model. */
  @Test
  void v020LegacyStatementMatchesModelOnDisk() throws Exception {
    Path dir = Interop.releaseTests().resolve("v0.2.0-certificate");
    SigstoreBundle bundle = BundleReader.read(Files.readAllBytes(dir.resolve("model.sig")));
    SignedStatement signed = StatementReader.read(bundle.envelope().payload());
    assertEquals(StatementFormat.LEGACY_V0_2, signed.format());
    VerificationPlan plan = VerificationPlan.of(signed, "model.sig", List.of());
    Manifest actual = LocalModelHasher.hash(dir, plan.settings(), plan.listingPolicy());
    ManifestComparison.requireMatch(signed.manifest(), actual);
    assertEquals(ROOT_NO_NEWLINE, signed.subjectDigestHex());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"key", "certificate", "sigstore"})
  void omsValidVectorMatchesRecreatedModel(String kind) throws Exception {
    byte[] json =
        Files.readAllBytes(Interop.omsVectors().resolve("valid/" + kind + ".bundle.json"));
    SigstoreBundle bundle = BundleReader.read(json);
    SignedStatement signed = StatementReader.read(bundle.envelope().payload());

    boolean sigstore = kind.equals("sigstore");
    Path model = Files.createDirectories(tmp.resolve(signed.subjectName()));
    Fixtures.write(model.resolve("signme-1"), sigstore ? "signme-1" : "signme-1\n");
    Fixtures.write(model.resolve("signme-2"), "signme-2");
    Fixtures.write(model.resolve("ignore-me"), ""); // recorded in ignore_paths of every vector
    Fixtures.write(model.resolve(".git/config"), "[core]\n"); // a default ignore

    VerificationPlan plan = VerificationPlan.of(signed, null, List.of());
    Manifest actual = LocalModelHasher.hash(model, plan.settings(), plan.listingPolicy());
    ManifestComparison.requireMatch(signed.manifest(), actual);
    assertEquals(sigstore ? ROOT_NO_NEWLINE : ROOT_NEWLINE, actual.subjectDigestHex());
    assertEquals(signed.subjectDigestHex(), actual.subjectDigestHex());

    // And a changed file is caught, by name.
    Fixtures.write(model.resolve("signme-2"), "signme-X");
    Manifest changed = LocalModelHasher.hash(model, plan.settings(), plan.listingPolicy());
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> ManifestComparison.requireMatch(signed.manifest(), changed));
    assertTrue(e.getMessage().contains("changed") && e.getMessage().contains("signme-2"));
  }

  @Test
  void omsEmptyVector() {
    byte[] json = oms("invalid/empty");
    VerificationException e =
        assertThrows(VerificationException.class, () -> BundleReader.read(json));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void omsMissingEnvelope() {
    byte[] json = oms("invalid/missing-envelope");
    VerificationException e =
        assertThrows(VerificationException.class, () -> BundleReader.read(json));
    assertTrue(e.getMessage().contains("dsseEnvelope"), e.getMessage());
  }

  @Test
  void omsMissingTlogEntries() {
    byte[] json = oms("invalid/missing-tlog-entries");
    VerificationException e =
        assertThrows(VerificationException.class, () -> BundleReader.read(json));
    assertTrue(e.getMessage().contains("tlogEntries"), e.getMessage());
  }

  @Test
  void omsMissingVerificationMaterial() {
    byte[] json = oms("invalid/missing-verification-material");
    VerificationException e =
        assertThrows(VerificationException.class, () -> BundleReader.read(json));
    assertTrue(e.getMessage().contains("verificationMaterial"), e.getMessage());
  }

  @Test
  void omsWrongPredicate() throws Exception {
    SigstoreBundle bundle = readOms("invalid-payload/wrong-predicate");
    VerificationException e =
        assertThrows(
            VerificationException.class, () -> StatementReader.read(bundle.envelope().payload()));
    assertTrue(e.getMessage().contains("predicateType"), e.getMessage());
    assertTrue(e.getMessage().contains("https://example.com/wrong-predicate/v1.0"), e.getMessage());
  }

  private static SigstoreBundle readOms(String name) {
    return BundleReader.read(oms(name));
  }

  /** Read outside assertThrows, so missing interop data skips the test instead of failing it. */
  private static byte[] oms(String name) {
    return Interop.read(Interop.omsVectors().resolve(name + ".bundle.json"));
  }
}
