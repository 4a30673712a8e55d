package dev.modelsigning.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.testing.Fixtures;
import dev.modelsigning.core.testing.Interop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * model_signing's {@code --ignore_unsigned_files} (OMS v1.0 8.5): files the signature does not list
 * are tolerated and reported, while a signed file that is missing or changed still fails by name.
 */
class IgnoreUnsignedFilesTest {
  private static final String TWO_FILES =
      "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4";

  @TempDir Path dir;

  private static KeyVerifier interopKey() {
    return KeyVerifier.fromPem(Interop.certificateKeys().resolve("signing-key-pub.pem"));
  }

  private static CertificateChainVerifier interopCa() {
    return CertificateChainVerifier.fromPem(
        List.of(Interop.certificateKeys().resolve("ca-cert.pem")), ValidityCheck.AT_NOT_BEFORE);
  }

  /** A writable copy of an interop release directory. */
  private Path copyOf(String release) throws Exception {
    Path from = Interop.releaseTests().resolve(release);
    Path to = Files.createDirectories(dir.resolve(release));
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        to.resolve(f.getFileName()).toFile().setWritable(true);
      }
    }
    return to;
  }

  /**
   * v1.0.1 recorded no ignore paths, and its model holds {@code ignore-me}, which it did not sign:
   * that is the case upstream passes {@code --ignore-paths} for; {@code --ignore_unsigned_files}
   * passes too, and says what it skipped.
   */
  @ParameterizedTest
  @ValueSource(strings = {"v1.0.1-elliptic-key", "v1.0.1-certificate"})
  void realV101BundleVerifiesWithItsUnsignedFileIgnoredAndReported(String release) {
    Path model = Interop.releaseTests().resolve(release);
    SignatureVerifier policy = release.endsWith("key") ? interopKey() : interopCa();
    byte[] bundle = Interop.read(model.resolve("model.sig"));

    VerificationResult r =
        ModelVerifier.verify(model, bundle, policy, "model.sig", List.of(), UnsignedFiles.IGNORE);
    assertEquals(List.of("ignore-me"), r.ignoredUnsignedFiles());
    assertEquals(2, r.fileCount());
    // The subject is the signer's, over the signed resources only.
    assertEquals(
        release.endsWith("key")
            ? TWO_FILES
            : "61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226",
        r.subjectDigestHex());

    // The signature file too, when the verifier is not told where it is.
    VerificationResult sigNotNamed =
        ModelVerifier.verify(model, bundle, policy, null, List.of(), UnsignedFiles.IGNORE);
    assertEquals(List.of("ignore-me", "model.sig"), sigNotNamed.ignoredUnsignedFiles());

    // By default the same model fails, naming the file.
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> ModelVerifier.verify(model, bundle, policy, "model.sig", List.of()));
    assertTrue(e.getMessage().contains("extra (not signed): ignore-me"), e.getMessage());
  }

  @Test
  void missingOrChangedSignedFilesStillFailByName() throws Exception {
    Path model = copyOf("v1.1.0-elliptic-key");
    byte[] bundle = Files.readAllBytes(model.resolve("model.sig"));
    Fixtures.write(model.resolve("notes/README.md"), "unsigned");
    VerificationResult ok =
        ModelVerifier.verify(
            model, bundle, interopKey(), "model.sig", List.of(), UnsignedFiles.IGNORE);
    assertEquals(List.of("notes/README.md"), ok.ignoredUnsignedFiles());
    assertEquals(TWO_FILES, ok.subjectDigestHex());
    assertEquals(17, ok.byteCount()); // signme-1\n + signme-2: the unsigned file is not counted

    Fixtures.write(model.resolve("signme-2"), "signme-X");
    VerificationException changed =
        assertThrows(
            VerificationException.class,
            () ->
                ModelVerifier.verify(
                    model, bundle, interopKey(), "model.sig", List.of(), UnsignedFiles.IGNORE));
    assertTrue(changed.getMessage().contains("1 changed: signme-2"), changed.getMessage());

    Files.delete(model.resolve("signme-2"));
    VerificationException missing =
        assertThrows(
            VerificationException.class,
            () ->
                ModelVerifier.verify(
                    model, bundle, interopKey(), "model.sig", List.of(), UnsignedFiles.IGNORE));
    assertTrue(missing.getMessage().contains("1 missing: signme-2"), missing.getMessage());
  }

  /**
   * Shards: a file is unsigned when none of its shards is listed, and is reported once; an extra
   * shard of a signed file means that file grew, which fails.
   */
  @Test
  void shardsOfAnUnsignedFileAreIgnoredButAnExtraShardOfASignedFileFails() throws Exception {
    Path model = Files.createDirectories(dir.resolve("sharded"));
    Fixtures.write(model.resolve("w"), "0123456789abcdef01");
    KeyPair kp = TestPki.ec("secp256r1");
    IgnorePaths ignore = IgnorePaths.of(null, List.of());
    SerializationSettings s =
        SerializationSettings.shards(HashAlgorithm.SHA256, 8, false, ignore.sorted());
    Manifest signed = LocalModelHasher.hash(model, s, new ListingPolicy(ignore, false));
    byte[] bundle = KeySigner.of(kp).sign(StatementWriter.write(signed));
    KeyVerifier key = KeyVerifier.of(kp.getPublic());

    Fixtures.write(model.resolve("extra/big.bin"), "twenty-five bytes of data");
    VerificationResult r =
        ModelVerifier.verify(model, bundle, key, null, List.of(), UnsignedFiles.IGNORE);
    assertEquals(List.of("extra/big.bin"), r.ignoredUnsignedFiles());
    assertEquals(1, r.fileCount());

    Fixtures.write(model.resolve("w"), "0123456789abcdef01234567x");
    VerificationException grown =
        assertThrows(
            VerificationException.class,
            () -> ModelVerifier.verify(model, bundle, key, null, List.of(), UnsignedFiles.IGNORE));
    // Its last shard is now 16..24 instead of 16..18, and 24..25 is new: both named.
    assertTrue(grown.getMessage().contains("1 missing: w:16:18"), grown.getMessage());
    assertTrue(
        grown.getMessage().contains("2 extra (not signed): w:16:24, w:24:25"), grown.getMessage());
  }

  /**
   * A caller that hashed the whole model (as a distributed engine does) compares with the same
   * rules and gets the same list back.
   */
  @Test
  void comparisonOfWholeManifestsReturnsTheUnsignedFiles() throws Exception {
    Path model = Files.createDirectories(dir.resolve("m"));
    Fixtures.write(model.resolve("a"), "a");
    Fixtures.write(model.resolve("b/c"), "c");
    IgnorePaths ignore = IgnorePaths.of(null, List.of());
    SerializationSettings s =
        SerializationSettings.shards(HashAlgorithm.SHA256, 1, false, ignore.sorted());
    Manifest signed =
        StatementReader.read(
                StatementWriter.write(
                    LocalModelHasher.hash(model, s, new ListingPolicy(ignore, false))))
            .manifest();
    Fixtures.write(model.resolve("b.txt"), "unsigned, several shards");
    Fixtures.write(model.resolve("b/d"), "unsigned");
    Manifest actual = LocalModelHasher.hash(model, s, new ListingPolicy(ignore, false));

    ComparisonResult r = ManifestComparison.compare(signed, actual, UnsignedFiles.IGNORE);
    // Path order: b/d (in directory b) sorts before b.txt.
    assertEquals(List.of("b/d", "b.txt"), r.ignoredUnsignedFiles());
    assertEquals(
        List.of(),
        ManifestComparison.compare(signed, signed, UnsignedFiles.REFUSE).ignoredUnsignedFiles());
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> ManifestComparison.compare(signed, actual, UnsignedFiles.REFUSE));
    assertTrue(e.getMessage().contains("extra (not signed): b/d:0:1"), e.getMessage());
  }

  /** Unsigned special files are never opened: a FIFO nobody signed cannot block the verifier. */
  @Test
  void unsignedFifoAndSymlinkAreReportedWithoutBeingOpened() throws Exception {
    KeyPair kp = TestPki.ec("secp384r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, KeySigner.of(kp));
    KeyVerifier key = KeyVerifier.of(kp.getPublic());
    Files.createSymbolicLink(model.resolve("escape"), Path.of("../outside"));
    Process p = new ProcessBuilder("mkfifo", model.resolve("pipe").toString()).start();
    assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is not available");

    VerificationResult r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                ModelVerifier.verify(
                    model, bundle, key, SignedModels.SIGNATURE, List.of(), UnsignedFiles.IGNORE));
    assertEquals(List.of("escape", "pipe"), r.ignoredUnsignedFiles());
    assertEquals(2, r.fileCount());

    // Refused by default, as before.
    VerificationException e =
        assertThrows(
            VerificationException.class, () -> SignedModels.verifyInPlace(model, bundle, key));
    assertTrue(e.getMessage().contains("is a symlink") || e.getMessage().contains("pipe"));
  }

  /**
   * A file whose name is not UTF-8 cannot be signed; ignoring unsigned files reports it escaped.
   */
  @Test
  void unsignedFileWithANonUtf8NameIsReportedEscaped() throws Exception {
    KeyPair kp = TestPki.ec("secp256r1");
    Path model = SignedModels.interopModel(dir, "model");
    byte[] bundle = SignedModels.signInPlace(model, KeySigner.of(kp));
    Process p =
        new ProcessBuilder("sh", "-c", "printf x > \"$(printf 'cache-\\377')\"")
            .directory(model.toFile())
            .start();
    assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "no non-UTF-8 names here");

    VerificationResult r =
        ModelVerifier.verify(
            model,
            bundle,
            KeyVerifier.of(kp.getPublic()),
            SignedModels.SIGNATURE,
            List.of(),
            UnsignedFiles.IGNORE);
    assertEquals(List.of("cache-\\xff"), r.ignoredUnsignedFiles());
  }
}
