package dev.modelsigning.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.testing.Fixtures;
import dev.modelsigning.core.verify.KeyVerifier;
import dev.modelsigning.core.verify.ModelVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names that are not valid UTF-8. OMS v1.0 (6.1.2, rule 7): "If a filename contains byte
 * sequences that are not valid UTF-8, the signer MUST reject the file (since the path cannot be
 * losslessly encoded in the JSON bundle)". So signing refuses such a file (exit 2), a model that
 * gains one does not verify (exit 1: no signature can list it), and both say which file, with the
 * invalid bytes shown as {@code \xNN}, and why. Java cannot spell such a name, so the files are
 * made with the shell's {@code printf}.
 */
class NonUtf8NamesTest {
  private static final ListingPolicy DEFAULTS =
      new ListingPolicy(IgnorePaths.of("model.sig", List.of()), false);

  @TempDir Path tmp;

  /** Creates {@code <dir>/<printf-format>} with raw bytes, e.g. {@code bad\\377.bin}. */
  private static void rawFile(Path dir, String printfName, String content) throws Exception {
    Process p =
        new ProcessBuilder(
                "sh", "-c", "printf '%s' \"$2\" > \"$(printf \"$1\")\"", "sh", printfName, content)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    // Some file systems (e.g. ones that enforce UTF-8 names) refuse such names outright.
    assumeTrue(p.exitValue() == 0, "cannot create a non-UTF-8 file name here: " + out);
  }

  private Path model() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("model"));
    Fixtures.write(m.resolve("config.json"), "{}");
    return m;
  }

  private static SerializationSettings settings() {
    return SerializationSettings.files(
        HashAlgorithm.SHA256, false, DEFAULTS.ignorePaths().sorted());
  }

  @Test
  void signingRefusesTheFileNamingItWithItsBytesEscaped() throws Exception {
    Path m = model();
    rawFile(m, "weights-\\377\\376.bin", "w");
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> LocalModelHasher.hash(m, settings(), DEFAULTS));
    String msg = e.getMessage();
    assertTrue(msg.startsWith("'weights-\\xff\\xfe.bin' cannot be part of a signed model"), msg);
    assertTrue(msg.contains("not valid UTF-8"), msg);
    assertTrue(msg.contains("OMS v1.0 requires UTF-8 resource names"), msg);
    assertFalse(msg.contains("\uFFFD"), "the lossy decoding leaked into: " + msg);
    assertFalse(msg.contains("cannot stat"), msg);
  }

  @Test
  void validMultiByteCharactersStayReadableAroundTheInvalidByte() throws Exception {
    Path m = model();
    // "mod\u00e8le" in UTF-8, then a lone continuation byte and a control character.
    rawFile(m, "mod\\303\\250le-\\200-\\001", "w");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> DEFAULTS.select(LocalModelLister.list(m)));
    assertTrue(e.getMessage().startsWith("'mod\u00e8le-\\x80-\\x01' "), e.getMessage());
  }

  @Test
  void aDirectoryWithSuchANameNamesTheFilesInsideAndCanBeIgnoredByItsParent() throws Exception {
    Path m = model();
    Path cache = Files.createDirectories(m.resolve("cache"));
    rawFile(cache, "run-\\351", "ignored");
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> LocalModelHasher.hash(m, settings(), DEFAULTS));
    assertTrue(e.getMessage().startsWith("'cache/run-\\xe9' "), e.getMessage());

    // Ignoring the directory that holds it signs the rest, as with any other ignored content.
    ListingPolicy ignoringCache = new ListingPolicy(IgnorePaths.of(null, List.of("cache")), false);
    Manifest signed = LocalModelHasher.hash(m, settings(), ignoringCache);
    assertEquals(1, signed.resources().size());
    assertEquals("config.json", signed.resources().get(0).name());
  }

  @Test
  void aSignedModelThatGainsSuchAFileDoesNotVerify() throws Exception {
    Path m = model();
    KeyPair kp = TestPki.ec("secp256r1");
    byte[] bundle =
        KeySigner.of(kp)
            .sign(StatementWriter.write(LocalModelHasher.hash(m, settings(), DEFAULTS)));
    KeyVerifier key = KeyVerifier.of(kp.getPublic());
    assertEquals(1, ModelVerifier.verify(m, bundle, key, null, List.of()).fileCount());

    rawFile(m, "extra-\\377", "x");
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> ModelVerifier.verify(m, bundle, key, null, List.of()));
    assertTrue(
        e.getMessage().startsWith("'extra-\\xff' cannot be part of a signed model"),
        e.getMessage());
  }

  /**
   * Python's model_signing decodes such a name with surrogateescape, so a manifest it wrote would
   * carry a lone surrogate ({@code "\\udcff"} in JSON). No UTF-8 file has that name: refused, with
   * the surrogate shown escaped.
   */
  @Test
  void aSignedNameHoldingALoneSurrogateIsRefused() {
    String statement =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"model\","
            + "\"digest\":{\"sha256\":\"SUBJECT\"}}],\"predicateType\":"
            + "\"https://model_signing/signature/v1.0\",\"predicate\":{\"serialization\":"
            + "{\"method\":\"files\",\"hash_type\":\"sha256\",\"allow_symlinks\":false},"
            + "\"resources\":[{\"name\":\"bad\\udcff.bin\",\"algorithm\":\"sha256\",\"digest\":"
            + "\"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\"}]}}";
    byte[] digest =
        HashAlgorithm.sha256()
            .digest(
                java.util.HexFormat.of()
                    .parseHex("2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"));
    byte[] json =
        statement
            .replace("SUBJECT", java.util.HexFormat.of().formatHex(digest))
            .getBytes(StandardCharsets.UTF_8);
    VerificationException e =
        assertThrows(VerificationException.class, () -> StatementReader.read(json));
    assertTrue(e.getMessage().contains("resource 'bad\\udcff.bin'"), e.getMessage());
    assertTrue(e.getMessage().contains("lone surrogate"), e.getMessage());
  }
}
