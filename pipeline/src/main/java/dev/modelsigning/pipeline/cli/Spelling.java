package dev.modelsigning.pipeline.cli;

import dev.modelsigning.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites model_signing's spelling of a command into this project's, before parsing: the method
 * word ({@code sign key MODEL}, {@code verify sigstore MODEL}) becomes {@code --signer=} or {@code
 * --verifier=}, model_signing's own option names become ours, and a Beam option written {@code
 * --name value} becomes {@code --name=value} (Beam reads only the latter). Kebab-case and
 * snake_case names of this project's options are accepted by the parser itself.
 */
final class Spelling {
  /** model_signing's sign methods and what they are here. */
  static final Map<String, String> SIGN_METHODS =
      Map.of(
          "key", "key",
          "certificate", "certificate",
          "sigstore", "sigstore",
          "pkcs11-key", "pkcs11",
          "pkcs11-certificate", "pkcs11",
          "gcp-kms", "gcp-kms",
          "aws-kms", "aws-kms");

  static final Set<String> VERIFY_METHODS = Set.of("key", "certificate", "sigstore");

  /** Beam's boolean flags that are often written bare: never joined with the next word. */
  private static final Set<String> BEAM_FLAGS =
      Set.of(
          "streaming",
          "blockOnRun",
          "enforceImmutability",
          "enforceEncodability",
          "fasterCopy",
          "usePublicIps",
          "attachedMode",
          "shutdownSourcesAfterIdleMs");

  private Spelling() {}

  /**
   * @param command sign, verify, digest or verify-registry
   * @param args what follows the command
   * @param catalog the command's own options (never joined: the parser knows their arity)
   */
  static List<String> normalize(String command, List<String> args, OptionCatalog catalog) {
    List<String> out = new ArrayList<>();
    int i = 0;
    if (!args.isEmpty() && !args.get(0).startsWith("-")) {
      String word = args.get(0);
      if (command.equals("sign") && SIGN_METHODS.containsKey(word)) {
        out.add("--signer=" + SIGN_METHODS.get(word));
        i = 1;
      } else if (command.equals("verify") && VERIFY_METHODS.contains(word)) {
        out.add("--verifier=" + word);
        i = 1;
      }
    }
    boolean positionalSeen = false;
    for (; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--") || a.equals("--")) {
        positionalSeen |= !a.startsWith("-");
        out.add(a);
        continue;
      }
      String name = a.contains("=") ? a.substring(2, a.indexOf('=')) : a.substring(2);
      String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
      String own = modelSigningName(command, OptionCatalog.camel(name));
      if (own.equals("identityToken")) {
        throw new InvalidInputException(
            "an identity token is never an option value (it would show in process lists and job"
                + " graphs): put it in SIGSTORE_ID_TOKEN or a file given with"
                + " --identityTokenFile");
      }
      if (own.equals("useStaging")) {
        out.add("--sigstoreInstance=staging");
        continue;
      }
      if (catalog.has(own) || own.equals("help")) {
        out.add("--" + own + (value == null ? "" : "=" + value));
        // multi-valued model_signing options: --certificate-chain a.pem b.pem; the last word of
        // the line stays the model path when none was given before
        if (value == null && catalog.isList(own)) {
          List<String> values = new ArrayList<>();
          while (i + 1 < args.size()
              && !args.get(i + 1).startsWith("-")
              && (positionalSeen || i + 2 < args.size() || values.isEmpty())) {
            values.add(args.get(++i));
          }
          if (!values.isEmpty()) {
            out.set(out.size() - 1, "--" + own + "=" + String.join(",", values));
          }
        }
        continue;
      }
      // A Beam or runner option: Beam reads only --name=value.
      if (value == null
          && !BEAM_FLAGS.contains(name)
          && i + 1 < args.size()
          && !args.get(i + 1).startsWith("-")) {
        out.add("--" + name + "=" + args.get(++i));
      } else {
        out.add(a);
      }
    }
    return out;
  }

  /** model_signing's names for options that are named differently here. */
  private static String modelSigningName(String command, String camel) {
    return switch (camel) {
      case "trustConfig" -> "trustedRoot";
      case "ignoreUnsignedFiles" -> "ignoreUnsignedFiles";
      case "certificateChain" -> command.equals("verify") ? "caCertificates" : "certificateChain";
      case "pkcs11Uri" -> "pkcs11Uri";
      default -> camel;
    };
  }
}
