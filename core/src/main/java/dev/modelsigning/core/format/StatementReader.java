package dev.modelsigning.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.manifest.HashingMethod;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.ResourceNames;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a signed statement from the exact bytes that were signed (never a re-serialization) and
 * checks everything that can be checked without the model: types, one subject, safe resource names,
 * consistent algorithms and the subject digest.
 */
public final class StatementReader {
  private StatementReader() {}

  /** Reads a statement whose signature covered the standard DSSE encoding. */
  public static SignedStatement read(byte[] statementBytes) {
    return read(statementBytes, DsseEncoding.STANDARD);
  }

  /**
   * Reads a statement, given which encoding its verified signature covered.
   *
   * <p>v0.2's statement is accepted over either encoding (v0.2 key and certificate signers used
   * their faulty one, its Sigstore signer the standard one) and always reported as {@link
   * StatementFormat#LEGACY_V0_2}. The faulty encoding is accepted for nothing else: v0.2 never
   * wrote another predicate with it, so a current statement signed that way is not something any
   * model_signing release made, and reading it as current would let a legacy-style signature pass
   * for a current one.
   */
  public static SignedStatement read(byte[] statementBytes, DsseEncoding signedOver) {
    JsonNode root = Json.parse(statementBytes, "signed statement");
    if (!root.isObject()) {
      throw new VerificationException("signed statement must be a JSON object");
    }
    String type = JsonFields.text(root, "_type", "statement");
    if (!Statement.TYPE.equals(type)) {
      throw new VerificationException(
          "statement _type is '" + type + "', expected '" + Statement.TYPE + "'");
    }
    String predicateType = JsonFields.text(root, "predicateType", "statement");
    if (Statement.LEGACY_PREDICATE_TYPE.equals(predicateType)) {
      return LegacyStatementReader.read(root);
    }
    if (signedOver == DsseEncoding.LEGACY_V0_2) {
      throw new VerificationException(
          "the signature covers model_signing v0.2's legacy DSSE encoding, which is accepted only"
              + " for v0.2's predicate '"
              + Statement.LEGACY_PREDICATE_TYPE
              + "', not for '"
              + predicateType
              + "'");
    }
    if (!Statement.PREDICATE_TYPE.equals(predicateType)) {
      throw new VerificationException(
          "statement predicateType is '"
              + predicateType
              + "', expected '"
              + Statement.PREDICATE_TYPE
              + "'");
    }
    JsonNode subjects = JsonFields.array(root, "subject", "statement");
    if (subjects.size() != 1) {
      throw new VerificationException(
          "statement must have exactly one subject, found " + subjects.size());
    }
    JsonNode subject = subjects.get(0);
    if (!subject.isObject()) {
      throw new VerificationException("statement subject must be an object");
    }
    String name = JsonFields.text(subject, "name", "subject");
    String subjectHex =
        JsonFields.text(
            JsonFields.object(subject, "digest", "subject"), "sha256", "subject.digest");
    byte[] subjectDigest = JsonFields.hex(subjectHex, "subject.digest.sha256");

    JsonNode predicate = JsonFields.object(root, "predicate", "statement");
    SerializationSettings settings =
        readSettings(JsonFields.object(predicate, "serialization", "predicate"));
    List<ResourceDigest> resources =
        readResources(JsonFields.array(predicate, "resources", "predicate"), settings);

    Manifest manifest = new Manifest(name, settings, resources);
    if (!MessageDigest.isEqual(manifest.subjectDigest(), subjectDigest)) {
      throw new VerificationException(
          "statement subject digest "
              + subjectHex
              + " does not match its resources (expected "
              + manifest.subjectDigestHex()
              + ")");
    }
    return new SignedStatement(manifest, HexFormat.of().formatHex(subjectDigest));
  }

  private static SerializationSettings readSettings(JsonNode s) {
    String where = "predicate.serialization";
    try {
      HashingMethod method = HashingMethod.fromLabel(JsonFields.text(s, "method", where));
      HashAlgorithm hash = HashAlgorithm.fromLabel(JsonFields.text(s, "hash_type", where));
      JsonNode symlinks = s.get("allow_symlinks");
      if (symlinks != null && !symlinks.isBoolean()) {
        throw new VerificationException(where + ".allow_symlinks must be a boolean");
      }
      boolean allowSymlinks = symlinks != null && symlinks.booleanValue();
      List<String> ignorePaths = readIgnorePaths(s.get("ignore_paths"));
      if (method == HashingMethod.FILES) {
        return SerializationSettings.files(hash, allowSymlinks, ignorePaths);
      }
      return SerializationSettings.shards(
          hash, shardSize(s.get("shard_size")), allowSymlinks, ignorePaths);
    } catch (VerificationException e) {
      throw e;
    } catch (ModelSigningException e) {
      throw new VerificationException("signed " + where + " is invalid: " + e.getMessage(), e);
    }
  }

  /** model_signing writes a float ({@code 1000000000.0}), OMS v1.0 an integer: accept both. */
  private static long shardSize(JsonNode n) {
    if (n == null || !n.isNumber()) {
      throw new VerificationException("shards serialization needs a numeric shard_size");
    }
    double d = n.doubleValue();
    if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() > 0) {
      return n.longValue();
    }
    if (d >= 1 && d <= (1L << 53) && d == Math.rint(d)) {
      return (long) d;
    }
    throw new VerificationException("shard_size " + n + " is not a positive whole number");
  }

  private static @Nullable List<String> readIgnorePaths(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      throw new VerificationException("serialization.ignore_paths must be an array");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode p : n) {
      if (!p.isTextual()) {
        throw new VerificationException("serialization.ignore_paths entries must be strings");
      }
      out.add(p.textValue());
    }
    out.sort(ResourceNames::compareCodePoints);
    return out;
  }

  private static List<ResourceDigest> readResources(JsonNode array, SerializationSettings s) {
    if (array.isEmpty()) {
      // OMS v1.0 5.2.1: at least one resource. A signature over nothing verifies any model that
      // has only ignored files, so it must not pass (signing refuses an empty model too).
      throw new VerificationException(
          "predicate.resources is empty: the signature lists no files, and OMS v1.0 requires at"
              + " least one resource");
    }
    String plain = s.hashAlgorithm().label();
    String sharded = s.resourceAlgorithm();
    List<ResourceDigest> out = new ArrayList<>(array.size());
    Set<String> seen = new HashSet<>();
    for (JsonNode r : array) {
      if (!r.isObject()) {
        throw new VerificationException("predicate.resources entries must be objects");
      }
      String name = JsonFields.text(r, "name", "resource");
      String where = "resource '" + printable(name) + "'";
      String algorithm = JsonFields.text(r, "algorithm", where);
      if (!algorithm.equals(plain) && !algorithm.equals(sharded)) {
        throw new VerificationException(
            where + " has algorithm '" + algorithm + "', inconsistent with hash_type " + plain);
      }
      requireUsableName(name, s, where, seen);
      byte[] digest = JsonFields.hex(JsonFields.text(r, "digest", where), where + " digest");
      if (digest.length != s.hashAlgorithm().digestLength()) {
        throw new VerificationException(
            where
                + " digest has "
                + digest.length
                + " bytes; "
                + plain
                + " digests have "
                + s.hashAlgorithm().digestLength()
                + " bytes");
      }
      out.add(new ResourceDigest(name, algorithm, digest));
    }
    requireNoNormalizationTwins(out, "resources");
    return out;
  }

  /** Every signed name must be a safe relative path, listed once, with no NFC twin. */
  static void requireUsableNames(
      List<ResourceDigest> resources, SerializationSettings s, String kind) {
    Set<String> seen = new HashSet<>();
    for (ResourceDigest r : resources) {
      requireUsableName(r.name(), s, kind + " '" + printable(r.name()) + "'", seen);
    }
    requireNoNormalizationTwins(resources, kind + "s");
  }

  private static void requireUsableName(
      String name, SerializationSettings s, String where, Set<String> seen) {
    String path = s.method() == HashingMethod.SHARDS ? ShardName.parse(name).path() : name;
    String unsafe = ResourceNames.whyUnsafe(path);
    if (unsafe != null) {
      throw new VerificationException(where + " is not a safe model path: " + unsafe);
    }
    if (!seen.add(name)) {
      throw new VerificationException(where + " is listed twice");
    }
  }

  private static void requireNoNormalizationTwins(List<ResourceDigest> resources, String kinds) {
    String[] twins =
        ResourceNames.nfcCollision(resources.stream().map(ResourceDigest::name).toList());
    if (twins != null) {
      throw new VerificationException(
          kinds
              + " '"
              + printable(twins[0])
              + "' and '"
              + printable(twins[1])
              + "' are the same name under Unicode NFC normalization; a manifest naming both is"
              + " ambiguous");
    }
  }

  /**
   * A name for an error message: control characters and lone surrogates shown as {@code \\uXXXX}.
   */
  static String printable(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      boolean pair =
          Character.isHighSurrogate(c)
              && k + 1 < name.length()
              && Character.isLowSurrogate(name.charAt(k + 1));
      if (pair) {
        sb.append(c).append(name.charAt(++k));
      } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
