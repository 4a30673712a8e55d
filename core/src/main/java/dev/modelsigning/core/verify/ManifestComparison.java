package dev.modelsigning.core.verify;

import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.manifest.HashingMethod;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.model.ResourceNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Compares a signed manifest with one recomputed from the model, as sets of resources by name.
 * Every difference is collected first, so one error names all changed, missing and extra files.
 */
public final class ManifestComparison {
  /** How many names of each kind a message lists before summarising. */
  private static final int MAX_LISTED = 20;

  private ManifestComparison() {}

  /** Every signed resource must match, and nothing unsigned may be present. */
  public static void requireMatch(Manifest signed, Manifest actual) {
    compare(signed, actual, UnsignedFiles.REFUSE);
  }

  /**
   * Compares the manifests; throws {@link VerificationException} naming every changed, missing and
   * (with {@link UnsignedFiles#REFUSE}) extra resource.
   *
   * <p>With {@link UnsignedFiles#IGNORE}, an extra resource is tolerated when no signed resource
   * names its file: the file is unsigned and is returned. An extra shard of a signed file still
   * fails: the file changed. Nothing here recomputes the subject digest: it is the signer's, over
   * the signed resources only, whatever else the model holds.
   */
  public static ComparisonResult compare(
      Manifest signed, Manifest actual, UnsignedFiles unsignedFiles) {
    Map<String, ResourceDigest> expected = byName(signed, singleFileAlias(signed, actual));
    Map<String, ResourceDigest> found = byName(actual, null);
    List<String> changed = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    for (Map.Entry<String, ResourceDigest> e : expected.entrySet()) {
      ResourceDigest f = found.get(e.getKey());
      if (f == null) {
        missing.add(e.getKey());
      } else if (!f.sameDigest(e.getValue())) {
        changed.add(e.getKey());
      }
    }
    HashingMethod method = signed.settings().method();
    Set<String> signedFiles = new HashSet<>();
    for (String name : expected.keySet()) {
      signedFiles.add(VerificationPlan.pathOf(name, method));
    }
    Set<String> ignored = new TreeSet<>(ResourceNames.PATH_ORDER);
    for (String name : found.keySet()) {
      if (expected.containsKey(name)) {
        continue;
      }
      String file = VerificationPlan.pathOf(name, actual.settings().method());
      if (unsignedFiles == UnsignedFiles.IGNORE && !signedFiles.contains(file)) {
        ignored.add(file);
      } else {
        extra.add(name);
      }
    }
    if (changed.isEmpty() && missing.isEmpty() && extra.isEmpty()) {
      return new ComparisonResult(new ArrayList<>(ignored));
    }
    StringBuilder msg = new StringBuilder("model does not match its signature:");
    describe(msg, "changed", changed);
    describe(msg, "missing", missing);
    describe(msg, "extra (not signed)", extra);
    throw new VerificationException(msg.toString());
  }

  /**
   * OMS v1.0 names a single-file model's resource by its basename; model_signing uses ".". When the
   * model on disk is one file, the signed basename is read as ".".
   */
  private static @Nullable String singleFileAlias(Manifest signed, Manifest actual) {
    boolean actualSingle =
        !actual.resources().isEmpty()
            && actual.resources().stream().allMatch(r -> pathOf(r.name()).equals("."));
    // A v0.2 statement names no model: there is no alias to apply.
    return actualSingle && !signed.modelName().isEmpty() ? signed.modelName() : null;
  }

  private static Map<String, ResourceDigest> byName(Manifest m, @Nullable String aliasForDot) {
    Map<String, ResourceDigest> out = new LinkedHashMap<>();
    for (ResourceDigest r : m.resources()) {
      String name = r.name();
      if (aliasForDot != null && (name.equals(aliasForDot) || name.startsWith(aliasForDot + ":"))) {
        name = "." + name.substring(aliasForDot.length());
      }
      out.put(name, r);
    }
    return out;
  }

  private static String pathOf(String name) {
    return name.equals(".") || name.startsWith(".:") ? "." : name;
  }

  private static void describe(StringBuilder msg, String kind, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    names.sort(ResourceNames.PATH_ORDER);
    msg.append(' ').append(names.size()).append(' ').append(kind).append(": ");
    msg.append(String.join(", ", names.subList(0, Math.min(MAX_LISTED, names.size()))));
    if (names.size() > MAX_LISTED) {
      msg.append(", ... and ").append(names.size() - MAX_LISTED).append(" more");
    }
    msg.append(';');
  }
}
