package dev.modelsigning.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.StatementReader;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.TestPki;
import dev.modelsigning.core.testing.Interop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OMS v1.0 requires at least one resource: a signed statement listing none is refused at
 * verification (exit 1) naming {@code predicate.resources}, even when its signature is valid and
 * the model holds only ignored files (which it would otherwise "match").
 */
class EmptyResourcesTest {
  /** sha256 of nothing: the subject digest of an empty resource list. */
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @TempDir Path dir;

  /** model_signing itself writes such statements for empty models (its golden statements). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "empty_model_folder",
        "empty_model_folder_shard",
        "empty_model_file_small_shards",
        "model_folder_with_empty_file_shard"
      })
  void modelSigningStatementsOfEmptyModelsAreRefused(String golden) {
    byte[] statement = Interop.read(Interop.goldenStatements().resolve(golden));
    JsonNode parsed = Json.parse(statement, golden);
    assertEquals(0, parsed.at("/predicate/resources").size(), golden + " lists resources");
    assertEquals(EMPTY_SHA256, parsed.at("/subject/0/digest/sha256").textValue());

    VerificationException e =
        assertThrows(VerificationException.class, () -> StatementReader.read(statement));
    assertTrue(e.getMessage().startsWith("predicate.resources is empty"), e.getMessage());
  }

  @Test
  void validlySignedEmptyStatementDoesNotVerifyAModelOfIgnoredFiles() throws Exception {
    Path model = dir.resolve("model");
    Files.createDirectories(model.resolve(".git"));
    Files.writeString(model.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    String statement =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"model\","
            + "\"digest\":{\"sha256\":\""
            + EMPTY_SHA256
            + "\"}}],\"predicateType\":\"https://model_signing/signature/v1.0\",\"predicate\":"
            + "{\"serialization\":{\"method\":\"files\",\"hash_type\":\"sha256\","
            + "\"allow_symlinks\":false,\"ignore_paths\":[\".git\"]},\"resources\":[]}}";
    KeyPair kp = TestPki.ec("secp256r1");
    byte[] bundle = KeySigner.of(kp).sign(statement.getBytes(StandardCharsets.UTF_8));

    VerificationException e =
        assertThrows(
            VerificationException.class,
            () ->
                ModelVerifier.verify(
                    model, bundle, KeyVerifier.of(kp.getPublic()), null, List.of()));
    assertTrue(e.getMessage().contains("predicate.resources is empty"), e.getMessage());
    assertTrue(e.getMessage().contains("at least one resource"), e.getMessage());
  }
}
