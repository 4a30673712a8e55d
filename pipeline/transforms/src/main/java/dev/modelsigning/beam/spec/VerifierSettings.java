package dev.modelsigning.beam.spec;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.verify.ValidityCheck;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Verification settings as a user writes them (command-line options or a registry policy file,
 * which use the same names), parsed once, at launch, into a {@link VerifierSpec}: choices become
 * types, and the material they name is read now. An option not given is null (or empty); {@link
 * #toSpec} refuses a missing required one.
 *
 * @param verifier key, certificate or sigstore
 * @param publicKey --publicKey location (key)
 * @param caCertificates --caCertificates locations (certificate)
 * @param certificateValidity now or not-before (certificate)
 * @param identity expected certificate identity (sigstore)
 * @param identityRegexp a regular expression the whole identity must match (sigstore), instead of
 *     {@code identity}
 * @param identityProvider expected OIDC issuer (sigstore)
 * @param identityProviderRegexp a regular expression the whole issuer must match (sigstore)
 * @param sigstoreInstance public-good, staging or custom (sigstore)
 * @param trustedRoot --trustedRoot location (sigstore), or null
 */
public record VerifierSettings(
    @Nullable String verifier,
    @Nullable String publicKey,
    List<String> caCertificates,
    @Nullable String certificateValidity,
    @Nullable String identity,
    @Nullable String identityRegexp,
    @Nullable String identityProvider,
    @Nullable String identityProviderRegexp,
    @Nullable String sigstoreInstance,
    @Nullable String trustedRoot) {

  public VerifierSettings {
    caCertificates = caCertificates == null ? List.of() : List.copyOf(caCertificates);
  }

  /** Checks the settings and reads what they name, so a typo fails before any hashing. */
  public VerifierSpec toSpec() {
    if (verifier == null || verifier.isEmpty()) {
      throw new InvalidInputException("--verifier is required (key, certificate or sigstore)");
    }
    return switch (verifier) {
      case "key" ->
          VerifierSpec.key(Material.read("--publicKey", require(publicKey, "--publicKey")));
      case "certificate" -> {
        if (caCertificates.isEmpty()) {
          throw new InvalidInputException(
              "--caCertificates is required for --verifier=certificate");
        }
        ValidityCheck validity = validity();
        yield VerifierSpec.certificate(
            caCertificates.stream().map(l -> Material.read("--caCertificates", l)).toList(),
            validity);
      }
      case "sigstore" -> {
        VerifierSpec.Pattern id = pattern(identity, identityRegexp, "--identity");
        VerifierSpec.Pattern issuer =
            pattern(identityProvider, identityProviderRegexp, "--identityProvider");
        SigstoreService.Instance instance =
            SigstoreService.Instance.fromLabel(
                sigstoreInstance == null ? "public-good" : sigstoreInstance);
        if (instance == SigstoreService.Instance.CUSTOM && isEmpty(trustedRoot)) {
          throw new InvalidInputException(
              "--trustedRoot is required for --verifier=sigstore with --sigstoreInstance=custom");
        }
        Material root =
            trustedRoot == null || trustedRoot.isEmpty()
                ? null
                : Material.read("--trustedRoot", trustedRoot);
        yield VerifierSpec.sigstore(id, issuer, new SigstoreService(instance, null, root));
      }
      default ->
          throw new InvalidInputException(
              "unknown --verifier '" + verifier + "' (use key, certificate or sigstore)");
    };
  }

  /** Exactly one of the exact value and the regexp. */
  private VerifierSpec.Pattern pattern(
      @Nullable String exact, @Nullable String regexp, String option) {
    if (!isEmpty(exact) && !isEmpty(regexp)) {
      throw new InvalidInputException("give " + option + " or " + option + "Regexp, not both");
    }
    if (regexp != null && !regexp.isEmpty()) {
      return VerifierSpec.Pattern.regexp(regexp);
    }
    if (exact == null || exact.isEmpty()) {
      throw new InvalidInputException(
          option + " (or " + option + "Regexp) is required for --verifier=" + verifier);
    }
    return VerifierSpec.Pattern.exactly(exact);
  }

  private ValidityCheck validity() {
    String v = certificateValidity == null ? "now" : certificateValidity;
    return switch (v) {
      case "now" -> ValidityCheck.CURRENT_TIME;
      case "not-before" -> ValidityCheck.AT_NOT_BEFORE;
      default ->
          throw new InvalidInputException(
              "unknown --certificateValidity '" + v + "' (now or not-before)");
    };
  }

  private String require(@Nullable String value, String option) {
    if (value == null || value.isEmpty()) {
      throw new InvalidInputException(option + " is required for --verifier=" + verifier);
    }
    return value;
  }

  static boolean isEmpty(@Nullable String s) {
    return s == null || s.isEmpty();
  }
}
