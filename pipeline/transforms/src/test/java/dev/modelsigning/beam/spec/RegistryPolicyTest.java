package dev.modelsigning.beam.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.verify.UnsignedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading a policy file: every key a rule may hold is read, and a key it may not hold (a typo) or a
 * key of the wrong JSON type is refused, naming the key, the rule and the file, instead of being
 * dropped or coerced (which would leave a rule weaker than written).
 */
class RegistryPolicyTest {
  @TempDir Path tmp;

  /** Surefire runs in the module directory, pipeline/transforms. */
  private static final Path PUBLIC_KEY =
      Path.of("..", "sample", "keys", "demo-public-key.pem").toAbsolutePath().normalize();

  @BeforeEach
  void keyBesideThePolicy() throws IOException {
    Files.copy(PUBLIC_KEY, tmp.resolve("k.pem"));
  }

  private Path policy(String rules) throws IOException {
    return Files.writeString(tmp.resolve("policy.json"), "{\"policies\": [" + rules + "]}");
  }

  @Test
  void everyKeyARuleMayHoldIsRead() throws Exception {
    Path file =
        policy(
            """
            {"name": "legacy", "prefix": "legacy/", "verifier": "key", "publicKey": "k.pem",
             "ignoreUnsignedFiles": true},
            {"name": "vendor", "verifier": "key", "publicKey": "k.pem", "identity": null,
             "ignoreUnsignedFiles": false},
            {"prefix": "vision/", "verifier": "sigstore", "identity": "https://ci.example.com/v",
             "identityProvider": "https://token.actions.githubusercontent.com",
             "sigstoreInstance": "public-good"},
            {"prefix": "regexp/", "verifier": "sigstore", "identityRegexp": "https://ci/.*",
             "identityProviderRegexp": "https://.*"},
            {"prefix": "ca/", "verifier": "certificate", "caCertificates": "k.pem, k.pem",
             "certificateValidity": "not-before"}
            """);

    RegistryPolicy read = RegistryPolicy.read(file.toString(), "/reg", null);

    assertEquals(List.of("legacy", "vendor"), List.copyOf(read.ruleNames()));
    assertEquals(UnsignedFiles.IGNORE, read.unsignedFilesFor("/reg/legacy/m"));
    assertEquals(UnsignedFiles.REFUSE, read.ruleFor("/reg/x", "vendor").unsignedFiles());
    assertNull(read.ruleFor("/reg/x", "vendor").prefix(), "a named rule without prefix");
    assertEquals("vision/", read.ruleFor("/reg/vision/m", null).prefix());
    assertEquals("ca/", read.ruleFor("/reg/ca/m", null).prefix());
  }

  static Stream<Arguments> misspeltKeys() {
    return Stream.of(
        // A misspelt key of a named rule: the rule is named by its index and name.
        Arguments.of(
            "{\"name\": \"vendor\", \"verifier\": \"sigstore\", \"identiy\": \"me@example.com\","
                + " \"identityProvider\": \"https://issuer\"}",
            "policies[0] (rule 'vendor')",
            "unknown key \"identiy\""),
        // A misspelt key of an unnamed rule, after a good rule: named by its index.
        Arguments.of(
            "{\"prefix\": \"a/\", \"verifier\": \"key\", \"publicKey\": \"k.pem\"},"
                + " {\"prefix\": \"b/\", \"verifier\": \"key\", \"publicKey\": \"k.pem\","
                + " \"ignoreUnsignedFile\": true}",
            "policies[1]: ",
            "unknown key \"ignoreUnsignedFile\""));
  }

  @ParameterizedTest
  @MethodSource("misspeltKeys")
  void anUnknownKeyIsRefusedNamingItTheRuleTheFileAndTheAllowedKeys(
      String rules, String rule, String problem) throws Exception {
    Path file = policy(rules);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> RegistryPolicy.read(file.toString(), "/reg", null));

    String m = e.getMessage();
    assertTrue(m.contains("policy file '" + file + "'"), m);
    assertTrue(m.contains(rule), m);
    assertTrue(m.contains(problem), m);
    assertTrue(
        m.contains(
            "(a rule may hold name, prefix, verifier, publicKey, caCertificates,"
                + " certificateValidity, identity, identityRegexp, identityProvider,"
                + " identityProviderRegexp, sigstoreInstance, trustedRoot, ignoreUnsignedFiles)"),
        m);
  }

  @Test
  void anUnknownTopLevelKeyIsRefused() throws Exception {
    Path file =
        Files.writeString(
            tmp.resolve("policy.json"),
            "{\"policies\": [{\"verifier\": \"key\", \"publicKey\": \"k.pem\"}], \"polices\": []}");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> RegistryPolicy.read(file.toString(), "/reg", null));

    assertTrue(e.getMessage().contains("policy file '" + file + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown key \"polices\""), e.getMessage());
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        Arguments.of(
            "\"ignoreUnsignedFiles\": \"yes\"",
            "\"ignoreUnsignedFiles\" must be true or false, found \"yes\""),
        Arguments.of(
            "\"ignoreUnsignedFiles\": 1", "\"ignoreUnsignedFiles\" must be true or false, found 1"),
        Arguments.of("\"prefix\": 7", "\"prefix\" must be a string, found 7"),
        Arguments.of(
            "\"identity\": [\"a\", \"b\"]", "\"identity\" must be a string, found [\"a\",\"b\"]"),
        Arguments.of(
            "\"caCertificates\": {\"x\": 1}",
            "\"caCertificates\" must be a string, found {\"x\":1}"));
  }

  @ParameterizedTest
  @MethodSource("wrongTypes")
  void aKnownKeyOfTheWrongTypeIsRefusedNotCoerced(String key, String problem) throws Exception {
    Path file =
        policy(
            "{\"name\": \"vendor\", \"verifier\": \"key\", \"publicKey\": \"k.pem\", " + key + "}");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> RegistryPolicy.read(file.toString(), "/reg", null));

    String m = e.getMessage();
    assertTrue(m.contains("policy file '" + file + "', policies[0] (rule 'vendor')"), m);
    assertTrue(m.contains(problem), m);
  }

  @Test
  void aRuleThatIsNotAnObjectIsRefused() throws Exception {
    Path file = policy("{\"verifier\": \"key\", \"publicKey\": \"k.pem\"}, \"key\"");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> RegistryPolicy.read(file.toString(), "/reg", null));

    assertTrue(
        e.getMessage().contains("policy file '" + file + "', policies[1]: a rule must be a JSON"),
        e.getMessage());
  }
}
