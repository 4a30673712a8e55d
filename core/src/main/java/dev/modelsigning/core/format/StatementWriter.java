package dev.modelsigning.core.format;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.manifest.HashingMethod;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.ResourceNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Serializes a manifest as the in-toto statement model_signing signs. Keys come in a fixed order,
 * {@code shard_size} is an integer (OMS v1.0), non-ASCII is escaped: the same manifest always gives
 * the same bytes.
 */
public final class StatementWriter {
  private StatementWriter() {}

  public static byte[] write(Manifest manifest) {
    if (manifest.resources().isEmpty()) {
      throw new InvalidInputException(
          "model '"
              + manifest.modelName()
              + "' is empty: it has no files to sign"
              + (manifest.settings().method() == HashingMethod.SHARDS
                  ? " (the shards method gives empty files no shard)"
                  : "")
              + ", and an empty model cannot be signed");
    }
    requireVerifiableNames(manifest);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("_type", Statement.TYPE);
      g.writeArrayFieldStart("subject");
      g.writeStartObject();
      g.writeStringField("name", manifest.modelName());
      g.writeObjectFieldStart("digest");
      g.writeStringField("sha256", manifest.subjectDigestHex());
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndArray();
      g.writeStringField("predicateType", Statement.PREDICATE_TYPE);
      g.writeObjectFieldStart("predicate");
      writeSerialization(g, manifest.settings());
      g.writeArrayFieldStart("resources");
      for (ResourceDigest r : manifest.resources()) {
        g.writeStartObject();
        g.writeStringField("name", r.name());
        g.writeStringField("algorithm", r.algorithm());
        g.writeStringField("digest", r.hex());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeSerialization(JsonGenerator g, SerializationSettings s)
      throws IOException {
    g.writeObjectFieldStart("serialization");
    g.writeStringField("method", s.method().label());
    g.writeStringField("hash_type", s.hashAlgorithm().label());
    if (s.method() == HashingMethod.SHARDS) {
      g.writeNumberField("shard_size", s.shardSize());
    }
    g.writeBooleanField("allow_symlinks", s.allowSymlinks());
    if (s.ignorePaths() != null) {
      g.writeArrayFieldStart("ignore_paths");
      for (String p : s.ignorePaths()) {
        g.writeString(p);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /**
   * Refuses, at signing, resource names that {@link StatementReader} refuses at verification (a
   * file named with a backslash or a control character is legal on Linux): a signature nobody can
   * verify must not be produced.
   */
  private static void requireVerifiableNames(Manifest manifest) {
    boolean shards = manifest.settings().method() == HashingMethod.SHARDS;
    for (ResourceDigest r : manifest.resources()) {
      String path = r.name();
      if (shards) {
        try {
          path = ShardName.parse(r.name()).path();
        } catch (VerificationException e) {
          throw new InvalidInputException(
              Objects.requireNonNull(e.getMessage(), "a VerificationException has a message"), e);
        }
      }
      String why = ResourceNames.whyUnsafe(path);
      if (why != null) {
        throw new InvalidInputException(
            "cannot sign model '"
                + manifest.modelName()
                + "': file '"
                + StatementReader.printable(path)
                + "' has a name verifiers refuse ("
                + why
                + "); rename it or add it to the ignore paths");
      }
    }
    String[] twins =
        ResourceNames.nfcCollision(
            manifest.resources().stream().map(ResourceDigest::name).toList());
    if (twins != null) {
      throw new InvalidInputException(
          "cannot sign model '"
              + manifest.modelName()
              + "': files '"
              + StatementReader.printable(twins[0])
              + "' and '"
              + StatementReader.printable(twins[1])
              + "' differ only by Unicode normalization (NFC/NFD), which verifiers refuse;"
              + " rename or ignore one of them");
    }
  }
}
