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
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions;

/**
 * Which signature policy applies to which model of a registry: the longest matching path prefix of
 * a policy file wins, else the command-line policy.
 *
 * <p>Policy file (JSON), keys named like the command-line options:
 *
 * <pre>{@code
 * {"policies": [
 *   {"prefix": "vision/", "verifier": "sigstore", "identity": "https://ci.example.com/vision",
 *    "identityProvider": "https://token.actions.githubusercontent.com",
 *    "trustedRoot": "gs://trust/trusted_root.json"},
 *   {"prefix": "legacy/", "verifier": "key", "publicKey": "/keys/legacy.pub.pem"}
 * ]}
 * }</pre>
 *
 * @param base the registry root prefixes are relative to, or null (then prefixes are full paths)
 * @param rules prefix rules, longest prefix first
 * @param fallback the command-line policy, or null when it is incomplete (models no rule matches
 *     are then reported as errors)
 */
public record RegistryPolicy(
    String base, List<Rule> rules, VerifierSpec fallback, UnsignedFiles fallbackUnsignedFiles)
    implements Serializable {

  /**
   * One prefix rule; the prefix is relative to the registry root.
   *
   * @param unsignedFiles whether files a signature does not list fail (REFUSE) or are reported
   *     (IGNORE, the rule's {@code "ignoreUnsignedFiles": true})
   */
  public record Rule(String prefix, VerifierSpec spec, UnsignedFiles unsignedFiles)
      implements Serializable {}

  public RegistryPolicy {
    rules =
        rules.stream().sorted(Comparator.comparingInt((Rule r) -> -r.prefix().length())).toList();
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
    return ruleFor(modelRoot).spec();
  }

  /** What to do with unsigned files of a model. */
  public UnsignedFiles unsignedFilesFor(String modelRoot) {
    return ruleFor(modelRoot).unsignedFiles();
  }

  private Rule ruleFor(String modelRoot) {
    String relativePath =
        base != null && modelRoot.startsWith(base + "/")
            ? modelRoot.substring(base.length() + 1) + "/"
            : modelRoot;
    for (Rule r : rules) {
      if (relativePath.startsWith(r.prefix())) {
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
  public static RegistryPolicy read(String location, String base, VerifierSpec fallback) {
    String policy = MaterialFiles.resolve(location);
    JsonNode root;
    try {
      root =
          Json.parse(
              MaterialFiles.read("--policyFile", policy, MAX_POLICY_BYTES),
              "policy file '" + policy + "'");
    } catch (ModelSigningException e) {
      throw e instanceof InvalidInputException i ? i : new InvalidInputException(e.getMessage(), e);
    }
    JsonNode policies = root.path("policies");
    if (!policies.isArray() || policies.isEmpty()) {
      throw new InvalidInputException(
          "policy file '" + policy + "' needs a non-empty \"policies\" array");
    }
    List<Rule> rules = new ArrayList<>();
    for (JsonNode p : policies) {
      if (text(p, "verifier", null) == null) {
        throw new InvalidInputException("every policy needs a \"verifier\" in " + policy);
      }
      VerifierSettings settings =
          new VerifierSettings(
              text(p, "verifier", null),
              beside(policy, text(p, "publicKey", null)),
              p.has("caCertificates")
                  ? List.of(text(p, "caCertificates", "").split(",")).stream()
                      .map(l -> beside(policy, l.trim()))
                      .toList()
                  : List.of(),
              text(p, "certificateValidity", "now"),
              text(p, "identity", null),
              text(p, "identityRegexp", null),
              text(p, "identityProvider", null),
              text(p, "identityProviderRegexp", null),
              text(p, "sigstoreInstance", "public-good"),
              beside(policy, text(p, "trustedRoot", null)));
      VerifierSpec spec;
      try {
        spec = settings.toSpec();
      } catch (InvalidInputException e) {
        throw new InvalidInputException(
            "policy file '"
                + policy
                + "', prefix '"
                + text(p, "prefix", "")
                + "': "
                + e.getMessage(),
            e);
      }
      UnsignedFiles unsigned =
          p.path("ignoreUnsignedFiles").asBoolean(false)
              ? UnsignedFiles.IGNORE
              : UnsignedFiles.REFUSE;
      rules.add(new Rule(text(p, "prefix", ""), spec, unsigned));
    }
    return new RegistryPolicy(base, rules, fallback, UnsignedFiles.REFUSE);
  }

  /** A relative path in a policy file names a file beside the policy file. */
  static String beside(String policyFile, String location) {
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

  private static String text(JsonNode node, String field, String defaultValue) {
    JsonNode n = node.get(field);
    return n == null || n.isNull() ? defaultValue : n.asText();
  }
}
