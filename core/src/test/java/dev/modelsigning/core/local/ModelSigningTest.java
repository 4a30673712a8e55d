package dev.modelsigning.core.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.signing.KeySigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process engine refuses to sign a model that changed between its listing and the end of
 * hashing, and writes nothing. The change is made from the hasher's progress hook, after the
 * listing and before the first byte is hashed.
 */
class ModelSigningTest {
  @TempDir Path tmp;

  @Test
  void aFileThatAppearsWhileHashingIsNamedAndNothingIsSigned() throws Exception {
    Path model = model();
    ModelSigningException e =
        assertThrows(
            ModelSigningException.class,
            () -> sign(model, () -> write(model.resolve("late.bin"), "late")));
    assertTrue(e.getMessage().contains("'late.bin' appeared"), e.getMessage());
    assertTrue(e.getMessage().endsWith("nothing was signed"), e.getMessage());
    assertFalse(Files.exists(model.resolve("model.sig")));
  }

  @Test
  void aFileRewrittenWhileHashingIsNamedAndNothingIsSigned() throws Exception {
    Path model = model();
    Path weights = model.resolve("weights.bin");
    FileTime listed = Files.getLastModifiedTime(weights);
    ModelSigningException e =
        assertThrows(
            ModelSigningException.class,
            () ->
                sign(
                    model,
                    () -> {
                      // Same size, other bytes, a later time: what an overwrite looks like.
                      write(weights, "WEIGHTS");
                      touch(weights, FileTime.fromMillis(listed.toMillis() + 5_000));
                    }));
    assertTrue(e.getMessage().contains("'weights.bin' was modified"), e.getMessage());
    assertFalse(Files.exists(model.resolve("model.sig")));
  }

  @Test
  void anUnchangedModelIsSigned() throws Exception {
    Path model = model();
    ModelSigning.SignedModel signed = sign(model, () -> {});
    assertEquals(2, signed.files());
    assertTrue(Files.exists(model.resolve("model.sig")));
  }

  private Path model() throws IOException {
    Path model = Files.createDirectory(tmp.resolve("model"));
    Files.writeString(model.resolve("config.json"), "{}");
    Files.writeString(model.resolve("weights.bin"), "weights");
    return model;
  }

  private static ModelSigning.SignedModel sign(Path model, Runnable beforeHashing)
      throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    HashProgress hook =
        new HashProgress() {
          @Override
          public void started(long totalBytes) {
            beforeHashing.run();
          }

          @Override
          public void hashed(long bytes) {}
        };
    ModelSigning.Request request =
        new ModelSigning.Request(
            SerializationSettings.files(HashAlgorithm.SHA256, false, List.of()),
            List.of(),
            model.resolve("model.sig"),
            false,
            LocalModelHasher.defaults().withProgress(hook));
    return ModelSigning.sign(model, KeySigner.of(g.generateKeyPair()), request);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void touch(Path file, FileTime time) {
    try {
      Files.setLastModifiedTime(file, time);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
