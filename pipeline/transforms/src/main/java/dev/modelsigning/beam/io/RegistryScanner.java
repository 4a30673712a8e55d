package dev.modelsigning.beam.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.beam.values.FoundModel;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.jspecify.annotations.Nullable;

/**
 * Finds the models of a registry: every directory holding a signature file is a signed model; with
 * a marker glob, directories holding a marker file but under no signed model are unsigned models.
 */
public final class RegistryScanner {
  private RegistryScanner() {}

  public static List<FoundModel> scan(
      String registry, String signatureName, @Nullable String markerGlob) {
    ModelLocation root = ModelLocation.of(registry);
    List<String> files = listAll(root);
    String sigSuffix = "/" + signatureName;
    Set<String> signed = new TreeSet<>();
    for (String f : files) {
      if (f.endsWith(sigSuffix)) {
        signed.add(f.substring(0, f.length() - sigSuffix.length()));
      }
    }
    List<FoundModel> out = new ArrayList<>();
    for (String s : signed) {
      out.add(new FoundModel(s, s + sigSuffix));
    }
    if (markerGlob != null) {
      PathMatcher marker = FileSystems.getDefault().getPathMatcher("glob:" + markerGlob);
      Set<String> unsigned = new TreeSet<>();
      for (String f : files) {
        int slash = f.lastIndexOf('/');
        String dir = f.substring(0, slash);
        if (marker.matches(Path.of(f.substring(slash + 1))) && !insideAny(dir, signed)) {
          unsigned.add(dir);
        }
      }
      unsigned.forEach(d -> out.add(new FoundModel(d, null)));
    }
    return out;
  }

  /** Model lists are small text files, read whole at launch. */
  static final int MAX_LIST_BYTES = 64 << 20;

  /**
   * Models named one per line in a list file (local, gs://, s3://), read now, at launch; blank
   * lines and # comments are skipped. No line may name a policy rule.
   */
  public static List<FoundModel> fromList(String listFile, String signatureName) {
    return fromList(listFile, signatureName, Set.of());
  }

  /** The fields a model list's JSON line may hold. */
  private static final Set<String> LIST_FIELDS = Set.of("model", "signature", "id", "policy");

  /**
   * Models named one per line in a list file (local, gs://, s3://), read now, at launch. A line is
   * a model path, or a JSON object {@code {"model": ..., "signature": ..., "id": ..., "policy":
   * ...}} where only {@code model} is required: {@code signature} defaults to {@code
   * <model>/<signatureName>}, {@code id} is carried to the model's report line, and {@code policy}
   * names the policy-file rule to apply instead of prefix matching. Blank lines and # comments are
   * skipped. Every problem (malformed JSON, unknown field, unknown policy name, a model listed
   * twice) fails here, naming the line.
   *
   * @param policyNames the rule names a line may use
   */
  public static List<FoundModel> fromList(
      String listFile, String signatureName, Set<String> policyNames) {
    String text =
        new String(
            MaterialFiles.read("--modelList", listFile, MAX_LIST_BYTES), StandardCharsets.UTF_8);
    List<FoundModel> out = new ArrayList<>();
    Map<String, Integer> lineOfModel = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String where = "--modelList '" + listFile + "' line " + (i + 1);
      FoundModel model = parseLine(l, where, signatureName, policyNames);
      Integer earlier = lineOfModel.putIfAbsent(model.root(), i + 1);
      if (earlier != null) {
        throw new InvalidInputException(
            where + ": model '" + model.root() + "' is already listed on line " + earlier);
      }
      out.add(model);
    }
    return out;
  }

  private static FoundModel parseLine(
      String line, String where, String signatureName, Set<String> policyNames) {
    if (!line.startsWith("{")) {
      if (line.startsWith("[") || line.startsWith("\"")) {
        throw new InvalidInputException(
            where + ": expected a model path or a JSON object, found '" + abbreviate(line) + "'");
      }
      ModelLocation m = ModelLocation.of(line);
      return new FoundModel(m.root(), m.child(signatureName));
    }
    JsonNode node;
    try {
      node = Json.parse(line.getBytes(StandardCharsets.UTF_8), where);
    } catch (ModelSigningException e) {
      throw new InvalidInputException(
          Objects.requireNonNull(e.getMessage(), "a ModelSigningException has a message"), e);
    }
    if (!node.isObject()) {
      throw new InvalidInputException(where + ": expected a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!LIST_FIELDS.contains(field)) {
        throw new InvalidInputException(
            where
                + ": unknown field \""
                + field
                + "\" (a line may hold model, signature, id and policy)");
      }
    }
    String modelPath = stringField(node, "model", where);
    if (modelPath == null) {
      throw new InvalidInputException(where + ": \"model\" is required");
    }
    ModelLocation model = ModelLocation.of(modelPath);
    String signature = stringField(node, "signature", where);
    String id = stringField(node, "id", where);
    String policy = stringField(node, "policy", where);
    if (policy != null && !policyNames.contains(policy)) {
      throw new InvalidInputException(
          where
              + ": \"policy\" names '"
              + policy
              + "', but "
              + (policyNames.isEmpty()
                  ? "no --policyFile rule has a name"
                  : "the --policyFile rules are named " + new TreeSet<>(policyNames)));
    }
    return new FoundModel(
        model.root(),
        signature == null ? model.child(signatureName) : ModelLocation.of(signature).root(),
        id,
        policy);
  }

  /** A string field, null when absent; present but empty or not a string is an error. */
  private static @Nullable String stringField(JsonNode node, String field, String where) {
    JsonNode n = node.get(field);
    if (n == null) {
      return null;
    }
    if (!n.isTextual() || n.textValue().isBlank()) {
      throw new InvalidInputException(
          where
              + ": \""
              + field
              + "\" must be a non-empty string, found "
              + abbreviate(n.toString()));
    }
    return n.textValue();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static boolean insideAny(String dir, Set<String> roots) {
    for (String r : roots) {
      if (dir.equals(r) || dir.startsWith(r + "/")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> listAll(ModelLocation root) {
    if (root.local()) {
      if (!Files.isDirectory(root.localPath())) {
        throw new InvalidInputException("registry '" + root.root() + "' is not a directory");
      }
      try (Stream<Path> walk = Files.walk(root.localPath())) {
        return walk.filter(Files::isRegularFile).map(Path::toString).toList();
      } catch (IOException e) {
        throw new ModelSigningException("cannot list registry '" + root.root() + "': " + e, e);
      }
    }
    try {
      MatchResult all =
          org.apache.beam.sdk.io.FileSystems.match(root.root() + "/**", EmptyMatchTreatment.ALLOW);
      List<String> out = new ArrayList<>();
      if (all.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : all.metadata()) {
          out.add(m.resourceId().toString());
        }
      }
      return out;
    } catch (IOException e) {
      throw new ModelSigningException("cannot list registry '" + root.root() + "': " + e, e);
    }
  }
}
