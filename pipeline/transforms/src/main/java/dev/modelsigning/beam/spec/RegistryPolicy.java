package dev.modelsigning.beam.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.beam.io.MaterialFiles;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.verify.UnsignedFiles;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.jspecify.annotations.Nullable;

/**
 * Which signature policy applies to which model of a registry: the rule a model list names for the
 * model, else the longest matching path prefix of a policy file, else the command-line policy.
 *
 * <p>Policy file (JSON), keys named like the command-line options:
 *
 * <pre>{@code
 * {"policies": [
 *   {"prefix": "vision/", "verifier": "sigstore", "identity": "https://ci.example.com/vision",
 *    "identityProvider": "https://token.actions.githubusercontent.com",
 *    "trustedRoot": "gs://trust/trusted_root.json"},
 *   {"prefix": "legacy/", "verifier": "key", "publicKey": "/keys/legacy.pub.pem"},
 *   {"name": "vendor-a", "verifier": "key", "publicKey": "vendor-a.pub.pem"}
 * ]}
 * }</pre>
 *
 * <p>A rule's optional {@code "name"} lets a model list line pick it ({@code "policy":
 * "vendor-a"}); a named rule without a {@code "prefix"} applies only to the lines that name it. A
 * rule with neither applies to every model (prefix {@code ""}).
 *
 * <p>A key the file or a rule may not hold (a rule holds {@code name}, {@code prefix}, {@code
 * ignoreUnsignedFiles} and the verifier option names), or a key of the wrong JSON type (a string
 * key given a number, {@code "ignoreUnsignedFiles"} given anything but {@code true} or {@code
 * false}), fails {@link #read}: a misspelt key would otherwise drop a constraint unnoticed. A key
 * set to {@code null} counts as absent.
 *
 * @param base the registry root prefixes are relative to, or null (then prefixes are full paths)
 * @param rules the rules, longest prefix first (rules without a prefix last)
 * @param fallback the command-line policy, or null when it is incomplete (models no rule matches
 *     are then reported as errors)
 */
public record RegistryPolicy(
    @Nullable String base,
    List<Rule> rules,
    @Nullable VerifierSpec fallback,
    UnsignedFiles fallbackUnsignedFiles)
    implements Serializable {

  /**
   * One rule.
   *
   * @param name the name a model list uses to pick the rule, or null
   * @param prefix the model path prefix it covers, relative to the registry root; null when the
   *     rule applies only by name
   * @param unsignedFiles whether files a signature does not list fail (REFUSE) or are reported
   *     (IGNORE, the rule's {@code "ignoreUnsignedFiles": true})
   */
  public record Rule(
      @Nullable String name,
      @Nullable String prefix,
      VerifierSpec spec,
      UnsignedFiles unsignedFiles)
      implements Serializable {

    /** An unnamed prefix rule. */
    public Rule(@Nullable String prefix, VerifierSpec spec, UnsignedFiles unsignedFiles) {
      this(null, prefix, spec, unsignedFiles);
    }
  }

  public RegistryPolicy {
    rules =
        rules.stream()
            .sorted(
                Comparator.comparingInt((Rule r) -> r.prefix() == null ? 1 : -r.prefix().length()))
            .toList();
    Set<String> names = new HashSet<>();
    for (Rule r : rules) {
      if (r.name() != null && !names.add(r.name())) {
        throw new InvalidInputException("two registry policy rules are named '" + r.name() + "'");
      }
    }
  }

  public static RegistryPolicy single(VerifierSpec spec) {
    return new RegistryPolicy(null, List.of(), spec, UnsignedFiles.REFUSE);
  }

  /** The same with files no signature lists reported instead of failing (fallback rule only). */
  public RegistryPolicy withFallbackUnsignedFiles(UnsignedFiles unsigned) {
    return new RegistryPolicy(base, rules, fallback, unsigned);
  }

  /** The policy for a model root. */
  public VerifierSpec forModel(String modelRoot) {
    return ruleFor(modelRoot, null).spec();
  }

  /** What to do with unsigned files of a model. */
  public UnsignedFiles unsignedFilesFor(String modelRoot) {
    return ruleFor(modelRoot, null).unsignedFiles();
  }

  /** The names of the rules that have one, which a model list may use. */
  public Set<String> ruleNames() {
    Set<String> names = new TreeSet<>();
    rules.stream().map(Rule::name).filter(Objects::nonNull).forEach(names::add);
    return names;
  }

  /**
   * The rule for a model: the one named {@code ruleName} when given, else the longest matching
   * prefix, else the command-line policy (an unnamed rule with prefix {@code ""}).
   *
   * @throws InvalidInputException when no rule has that name, or nothing covers the model
   */
  public Rule ruleFor(String modelRoot, @Nullable String ruleName) {
    if (ruleName != null) {
      for (Rule r : rules) {
        if (ruleName.equals(r.name())) {
          return r;
        }
      }
      throw new InvalidInputException(
          "no registry policy rule is named '" + ruleName + "' (names: " + ruleNames() + ")");
    }
    String relativePath =
        base != null && modelRoot.startsWith(base + "/")
            ? modelRoot.substring(base.length() + 1) + "/"
            : modelRoot;
    for (Rule r : rules) {
      if (r.prefix() != null && relativePath.startsWith(r.prefix())) {
        return r;
      }
    }
    if (fallback == null) {
      throw new InvalidInputException("no policy in the policy file covers '" + relativePath + "'");
    }
    return new Rule("", fallback, fallbackUnsignedFiles);
  }

  /** Policy files are small JSON documents. */
  static final int MAX_POLICY_BYTES = 4 << 20;

  /**
   * Reads a policy file (local, gs://, s3://) at launch; every rule is checked and the material it
   * names is read now, so workers need none of those files. Relative paths in the file mean paths
   * beside the policy file.
   */
  public static RegistryPolicy read(
      String location, @Nullable String base, @Nullable VerifierSpec fallback) {
    String policy = MaterialFiles.resolve(location);
    // A read that failed keeps its kind: a store that is down is no usage error.
    byte[] bytes = MaterialFiles.read("--policyFile", policy, MAX_POLICY_BYTES);
    JsonNode root;
    try {
      root = Json.parse(bytes, "policy file '" + policy + "'");
    } catch (ModelSigningException e) {
      throw e instanceof InvalidInputException i
          ? i
          : new InvalidInputException(
              Objects.requireNonNull(e.getMessage(), "a ModelSigningException has a message"), e);
    }
    if (!root.isObject()) {
      throw new InvalidInputException(
          "policy file '" + policy + "' must be a JSON object {\"policies\": [...]}");
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("policies")) {
        throw new InvalidInputException(
            "policy file '"
                + policy
                + "': unknown key \""
                + key
                + "\" (the file holds only \"policies\")");
      }
    }
    JsonNode policies = root.path("policies");
    if (!policies.isArray() || policies.isEmpty()) {
      throw new InvalidInputException(
          "policy file '" + policy + "' needs a non-empty \"policies\" array");
    }
    List<Rule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = -1;
    for (JsonNode p : policies) {
      index++;
      if (!p.isObject()) {
        throw new InvalidInputException(
            "policy file '" + policy + "', policies[" + index + "]: a rule must be a JSON object");
      }
      String name = ruleName(p, policy, index);
      String where =
          "policy file '"
              + policy
              + "', policies["
              + index
              + "]"
              + (name != null ? " (rule '" + name + "')" : "");
      checkKeys(p, where);
      if (name != null && !names.add(name)) {
        throw new InvalidInputException(
            where + ": the name '" + name + "' is already used by another rule");
      }
      String verifier = text(p, "verifier", null, where);
      if (verifier == null) {
        throw new InvalidInputException(where + ": every rule needs a \"verifier\"");
      }
      String caCertificates = text(p, "caCertificates", null, where);
      VerifierSettings settings =
          new VerifierSettings(
              verifier,
              beside(policy, text(p, "publicKey", null, where)),
              caCertificates != null
                  ? List.of(caCertificates.split(",")).stream()
                      .map(l -> beside(policy, l.trim()))
                      .toList()
                  : List.of(),
              text(p, "certificateValidity", "now", where),
              text(p, "identity", null, where),
              text(p, "identityRegexp", null, where),
              text(p, "identityProvider", null, where),
              text(p, "identityProviderRegexp", null, where),
              text(p, "sigstoreInstance", "public-good", where),
              beside(policy, text(p, "trustedRoot", null, where)));
      // A named rule without a prefix is picked only by name; an unnamed one covers everything.
      String prefix = text(p, "prefix", name != null ? null : "", where);
      UnsignedFiles unsigned =
          bool(p, "ignoreUnsignedFiles", where) ? UnsignedFiles.IGNORE : UnsignedFiles.REFUSE;
      VerifierSpec spec;
      try {
        spec = settings.toSpec();
      } catch (InvalidInputException e) {
        throw new InvalidInputException(
            "policy file '"
                + policy
                + "', "
                + (name != null ? "rule '" + name + "'" : "prefix '" + prefix + "'")
                + ": "
                + e.getMessage(),
            e);
      }
      rules.add(new Rule(name, prefix, spec, unsigned));
    }
    return new RegistryPolicy(base, rules, fallback, UnsignedFiles.REFUSE);
  }

  /** A relative path in a policy file names a file beside the policy file. */
  static @Nullable String beside(String policyFile, @Nullable String location) {
    if (location == null
        || location.isEmpty()
        || ModelLocation.hasScheme(location)
        || location.startsWith("/")) {
      return location;
    }
    return FileSystems.matchNewResource(policyFile, false)
        .getCurrentDirectory()
        .resolve(location, ResolveOptions.StandardResolveOptions.RESOLVE_FILE)
        .toString();
  }

  /** A rule's optional {@code "name"}: a non-empty string. */
  private static @Nullable String ruleName(JsonNode rule, String policyFile, int index) {
    JsonNode n = rule.get("name");
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual() || n.textValue().isBlank()) {
      throw new InvalidInputException(
          "policy file '"
              + policyFile
              + "', policies["
              + index
              + "]: \"name\" must be a non-empty string");
    }
    return n.textValue();
  }

  /** The keys a rule may hold: the command-line option names, plus name, prefix. */
  static final Set<String> RULE_KEYS =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(
              List.of(
                  "name",
                  "prefix",
                  "verifier",
                  "publicKey",
                  "caCertificates",
                  "certificateValidity",
                  "identity",
                  "identityRegexp",
                  "identityProvider",
                  "identityProviderRegexp",
                  "sigstoreInstance",
                  "trustedRoot",
                  "ignoreUnsignedFiles")));

  /** A key the rule may not hold is a typo that would otherwise weaken the policy unnoticed. */
  private static void checkKeys(JsonNode rule, String where) {
    for (Iterator<String> keys = rule.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!RULE_KEYS.contains(key)) {
        throw new InvalidInputException(
            where
                + ": unknown key \""
                + key
                + "\" (a rule may hold "
                + String.join(", ", RULE_KEYS)
                + ")");
      }
    }
  }

  /** A string key: absent or null gives the default; any other JSON type is an error. */
  private static @Nullable String text(
      JsonNode node, String field, @Nullable String defaultValue, String where) {
    JsonNode n = node.get(field);
    if (n == null || n.isNull()) {
      return defaultValue;
    }
    if (!n.isTextual()) {
      throw new InvalidInputException(
          where + ": \"" + field + "\" must be a string, found " + abbreviate(n.toString()));
    }
    return n.textValue();
  }

  /** A boolean key: absent or null is false; any other JSON type is an error. */
  private static boolean bool(JsonNode node, String field, String where) {
    JsonNode n = node.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw new InvalidInputException(
          where + ": \"" + field + "\" must be true or false, found " + abbreviate(n.toString()));
    }
    return n.booleanValue();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
