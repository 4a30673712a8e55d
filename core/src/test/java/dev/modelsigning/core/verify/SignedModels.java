package dev.modelsigning.core.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.signing.ModelSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** Builds small models, signs them the way the tool does, and tampers with bundles. */
final class SignedModels {
  static final String SIGNATURE = "model.sig";

  private SignedModels() {}

  /** {signme-1\n, signme-2}: the interop model; root digest 92745110... */
  static Path interopModel(Path parent, String name) {
    try {
      Path model = Files.createDirectories(parent.resolve(name));
      Files.writeString(model.resolve("signme-1"), "signme-1\n");
      Files.writeString(model.resolve("signme-2"), "signme-2");
      return model;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The statement for {@code model}, ignoring the defaults and model.sig, as the CLI would. */
  static byte[] statement(Path model) {
    IgnorePaths ignore = IgnorePaths.of(SIGNATURE, List.of());
    SerializationSettings settings =
        SerializationSettings.files(HashAlgorithm.SHA256, false, ignore.sorted());
    Manifest m = LocalModelHasher.hash(model, settings, new ListingPolicy(ignore, false));
    return StatementWriter.write(m);
  }

  /** Signs the model and writes {@code model.sig} inside it; returns the bundle bytes. */
  static byte[] signInPlace(Path model, ModelSigner signer) {
    byte[] bundle = signer.sign(statement(model));
    try {
      Files.write(model.resolve(SIGNATURE), bundle);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bundle;
  }

  static VerificationResult verifyInPlace(Path model, byte[] bundle, SignatureVerifier policy) {
    return ModelVerifier.verify(model, bundle, policy, SIGNATURE, List.of());
  }

  static ObjectNode tree(byte[] bundle) {
    return (ObjectNode) Json.parse(bundle, "test bundle");
  }

  static byte[] bytes(ObjectNode tree) {
    try {
      return Json.MAPPER.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds a trailing space to the payload: still the same JSON, but not the signed bytes. */
  static byte[] tamperPayload(byte[] bundle) {
    ObjectNode t = tree(bundle);
    ObjectNode env = (ObjectNode) t.get("dsseEnvelope");
    String payload =
        new String(Base64.getDecoder().decode(env.get("payload").asText()), StandardCharsets.UTF_8);
    env.put(
        "payload",
        Base64.getEncoder().encodeToString((payload + " ").getBytes(StandardCharsets.UTF_8)));
    return bytes(t);
  }

  /** Flips a bit in the signature's last byte (inside the s integer). */
  static byte[] tamperSignature(byte[] bundle) {
    ObjectNode t = tree(bundle);
    ObjectNode sig = (ObjectNode) ((ArrayNode) t.get("dsseEnvelope").get("signatures")).get(0);
    byte[] der = Base64.getDecoder().decode(sig.get("sig").asText());
    der[der.length - 1] ^= 0x01;
    sig.put("sig", Base64.getEncoder().encodeToString(der));
    return bytes(t);
  }
}
