package dev.modelsigning.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.signing.ModelSigner;
import dev.modelsigning.core.signing.PublicKeyHint;
import dev.modelsigning.core.verify.KeyVerifier;
import dev.modelsigning.core.verify.ModelVerifier;
import dev.modelsigning.core.verify.SignatureVerifier;
import dev.modelsigning.core.verify.VerificationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

/**
 * The checks every vault signer (PKCS#11, Cloud KMS, AWS KMS) must pass: sign a real model, verify
 * it with this project's verifier and with sigstore-js using the public key the vault exported, and
 * write the same bundle form as {@link KeySigner} with a local key.
 */
public final class KeyBundleChecks {
  public static final String SIGNATURE = "model.sig";

  private KeyBundleChecks() {}

  /** {signme-1\n, signme-2}: the interop model (root digest 92745110...). */
  public static Path model(Path parent) {
    try {
      Path model = Files.createDirectories(parent.resolve("model"));
      Files.writeString(model.resolve("signme-1"), "signme-1\n");
      Files.writeString(model.resolve("signme-2"), "signme-2");
      return model;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The statement the CLI would sign for {@code model}. */
  public static byte[] statement(Path model) {
    IgnorePaths ignore = IgnorePaths.of(SIGNATURE, List.of());
    SerializationSettings settings =
        SerializationSettings.files(HashAlgorithm.SHA256, false, ignore.sorted());
    return StatementWriter.write(
        LocalModelHasher.hash(model, settings, new ListingPolicy(ignore, false)));
  }

  /** Signs the model's statement and writes the bundle as {@code model.sig} inside it. */
  public static Path signInPlace(Path model, ModelSigner signer) {
    try {
      return Files.write(model.resolve(SIGNATURE), signer.sign(statement(model)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path writePem(PublicKey key, Path file) {
    try {
      return Files.writeString(file, PublicKeyHint.pem(key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Re-hashes the model and checks the bundle with {@code policy}. */
  public static VerificationResult verify(Path model, SignatureVerifier policy) {
    try {
      return ModelVerifier.verify(
          model, Files.readAllBytes(model.resolve(SIGNATURE)), policy, SIGNATURE, List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The signed model verifies with the exported public key, with our verifier and sigstore-js, and
   * the bundle has exactly the form {@link KeySigner} writes for a local key.
   */
  public static void assertVerifiesWithExportedKey(Path model, PublicKey exported, Path dir) {
    Path pem = writePem(exported, dir.resolve("exported-public-key.pem"));
    VerificationResult ours = verify(model, KeyVerifier.fromPem(pem));
    assertEquals("key sha256:" + PublicKeyHint.of(exported), ours.signer());
    assertEquals(
        "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4",
        ours.subjectDigestHex());
    SigstoreJs.Result js = SigstoreJs.verifyWithPublicKey(model.resolve(SIGNATURE), pem);
    assertTrue(js.ok(), "sigstore-js: " + js);
    assertSameFormAsLocalKeySigner(model, exported);
  }

  /** Same JSON (fields, order, values) as a local KeySigner bundle, except signature and hint. */
  public static void assertSameFormAsLocalKeySigner(Path model, PublicKey vaultKey) {
    try {
      byte[] vault = Files.readAllBytes(model.resolve(SIGNATURE));
      KeyPair local = ecKey(vaultKey);
      byte[] reference = KeySigner.of(local).sign(statement(model));
      ObjectNode vaultTree = (ObjectNode) Json.parse(vault, "vault bundle");
      assertEquals(
          PublicKeyHint.of(vaultKey),
          vaultTree.at("/verificationMaterial/publicKey/hint").asText(),
          "hint = sha256 of the exported key's PEM SPKI");
      assertEquals(blank(reference), blank(vault));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bundle with its signature and key hint replaced by placeholders. */
  private static String blank(byte[] bundle) {
    ObjectNode tree = (ObjectNode) Json.parse(bundle, "bundle");
    ArrayNode signatures = (ArrayNode) tree.get("dsseEnvelope").get("signatures");
    assertEquals(1, signatures.size());
    ((ObjectNode) signatures.get(0)).put("sig", "<signature>");
    ((ObjectNode) tree.get("verificationMaterial").get("publicKey")).put("hint", "<hint>");
    return tree.toString();
  }

  private static KeyPair ecKey(PublicKey like) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curveOf(like)));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String curveOf(PublicKey key) {
    int bits = ((java.security.interfaces.ECPublicKey) key).getParams().getOrder().bitLength();
    return switch (bits) {
      case 256 -> "secp256r1";
      case 384 -> "secp384r1";
      case 521 -> "secp521r1";
      default -> throw new IllegalArgumentException("curve of " + bits + " bits");
    };
  }

  /**
   * A failure the CLI can print as it is: one line that names the cause and holds none of {@code
   * secrets} (in the message or any cause's message).
   */
  public static void assertOneLineWithout(Throwable e, String mustMention, String... secrets) {
    String message = e.getMessage();
    assertFalse(message.contains("\n"), "one line: " + message);
    assertTrue(message.contains(mustMention), "names '" + mustMention + "': " + message);
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (String secret : secrets) {
        String text = String.valueOf(t.getMessage()) + " " + t;
        assertFalse(text.contains(secret), "a secret leaked into: " + text);
      }
    }
  }
}
