package dev.modelsigning.core.signing.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7512 parsing and PIN sources; no token needed (all real code, no stand-ins). */
class Pkcs11UriTest {
  @TempDir Path dir;

  @Test
  void parsesPathAndQueryAttributesWithPercentEncoding() {
    Pkcs11Uri uri =
        Pkcs11Uri.parse(
            "pkcs11:token=My%20Token;manufacturer=SoftHSM%20project;slot-id=1432371295;"
                + "object=signing%3Bkey;id=%01%a0;type=private"
                + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/secrets/pin");
    assertEquals("My Token", uri.token().orElseThrow());
    assertEquals("signing;key", uri.label().orElseThrow());
    assertArrayEquals(new byte[] {0x01, (byte) 0xa0}, uri.id().orElseThrow());
    assertEquals(1432371295L, uri.slotId().getAsLong());
    assertEquals("/usr/lib/softhsm/libsofthsm2.so", uri.modulePath().orElseThrow());
    assertEquals("file:/run/secrets/pin", uri.pinSource().orElseThrow());
  }

  @Test
  void pinValueIsRefusedAndNeverRepeated() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> Pkcs11Uri.parse("pkcs11:slot-id=1;object=k?pin-value=s%65cret-8812"));
    assertTrue(e.getMessage().contains("pin-value is refused"), e.getMessage());
    assertTrue(e.getMessage().contains("pin-source=env:"), e.getMessage());
    assertFalse(e.getMessage().contains("8812"), e.getMessage());
  }

  @Test
  void malformedAttributeIsNamedByPositionNotByItsText() {
    // Someone pasting "?1234" meant a PIN: the message must not echo it.
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> Pkcs11Uri.parse("pkcs11:slot-id=1;object=k?9931"));
    assertEquals("pkcs11 URI: query attribute 1 is not of the form name=value", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "pkcs11:slot-id=1;objct=k | unknown path attribute 'objct'",
        "pkcs11:slot-id=1;object=k;object=j | attribute 'object' is repeated",
        "pkcs11:slot-id=one;object=k | slot-id 'one' must be a decimal slot number",
        "pkcs11:slot-id=4294967296;object=k | slot-id 4294967296 is larger than 32 bits",
        "pkcs11:slot-id=1;object=k;type=public | type=public does not name a private key",
        "pkcs11:slot-id=1 | names no key: give object=<label>",
        "pkcs11:slot-id=1;object=k?module-path=lib.so | module-path 'lib.so' must be an absolute",
        "pkcs11:slot-id=1;object=k?module-name=softhsm2 | module-name is not supported",
        "pkcs11:slot-id=1;object=%zz | attribute 'object' has a malformed %-escape",
        "pkcs11:slot-id=1;object=%ff | attribute 'object' is not UTF-8 text",
        "pkcs12:slot-id=1;object=k | must be a 'pkcs11:' URI",
      })
  void refusesWhatItCannotHonour(String uri, String message) {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> Pkcs11Uri.parse(uri).label().orElseThrow());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void vendorAttributesAndAnUnlabelledIdAreAccepted() {
    Pkcs11Uri uri = Pkcs11Uri.parse("PKCS11:x-vendor=1;slot-id=0;id=%05?x-other=2");
    assertTrue(uri.label().isEmpty());
    assertArrayEquals(new byte[] {5}, uri.id().orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:", "file://", "file://localhost", ""})
  void pinFileFormsAndTheTrailingNewline(String prefix) throws Exception {
    Path file = Files.writeString(dir.resolve("pin"), "12 34\r\n");
    char[] pin = PinSource.parse(prefix + file).read();
    assertArrayEquals("12 34".toCharArray(), pin);
  }

  @Test
  void pinFileProblemsNameTheFileNotItsContent() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertMessage("PIN file " + empty + " is empty", () -> PinSource.parse("file:" + empty).read());
    Path binary = Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe});
    assertMessage("is not UTF-8 text", () -> PinSource.parse(binary.toString()).read());
    Path large = Files.write(dir.resolve("large"), new byte[2048]);
    assertMessage("too large to hold a PIN", () -> PinSource.parse(large.toString()).read());
    assertMessage("does not exist", () -> PinSource.parse(dir.resolve("absent").toString()).read());
    assertMessage("must be an absolute path", () -> PinSource.parse("file:relative/pin"));
    assertMessage("must be a local file", () -> PinSource.parse("file://server/pin"));
    assertMessage("is not supported", () -> PinSource.parse("https://vault.example/pin"));
  }

  @Test
  void pinFromAnEnvironmentVariableIsReadWhenNeededAndNeverShown() {
    Map<String, String> env = Map.of("HSM_PIN", "env-pin-5519");
    PinSource source = PinSource.parse("env:HSM_PIN", env::get);
    assertEquals("environment variable HSM_PIN", source.toString());
    assertArrayEquals("env-pin-5519".toCharArray(), source.read());
    InvalidInputException unset =
        assertThrows(
            InvalidInputException.class, () -> PinSource.parse("env:OTHER", env::get).read());
    assertEquals(
        "the PKCS#11 PIN environment variable OTHER is not set in this process's environment",
        unset.getMessage());
    assertMessage("needs an environment variable name", () -> PinSource.parse("env:1X"));
    assertNull(PinSource.none().read());
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    InvalidInputException thrown = assertThrows(InvalidInputException.class, e);
    assertTrue(thrown.getMessage().contains(expected), thrown.getMessage());
    assertFalse(thrown.getMessage().contains("\n"));
  }

  @Test
  void toStringIsTheUriAsGiven() {
    String text = "pkcs11:slot-id=3;object=k?pin-source=env:PIN";
    assertEquals(text, Pkcs11Uri.parse(text).toString());
  }
}
