package dev.modelsigning.core.signing.pkcs11;

import dev.modelsigning.core.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An RFC 7512 {@code pkcs11:} URI naming a private key in a token, as model_signing's {@code sign
 * pkcs11-key --pkcs11_uri} takes it: {@code
 * pkcs11:slot-id=N;token=T;object=LABEL;id=%01?pin-source=file:/run/secrets/pin&module-path=/usr/lib/softhsm/libsofthsm2.so}.
 *
 * <p>The PIN may only come from {@code pin-source}: a file ({@code file:/abs/path} or {@code
 * /abs/path}, as RFC 7512 and model_signing read it) or an environment variable ({@code env:NAME},
 * this tool's extension). {@code pin-value} is refused: a URI is an option value, and option values
 * end up in shell history, process lists, logs and a pipeline's serialized graph.
 *
 * <p>Path attributes that only describe the token ({@code token}, {@code manufacturer}, {@code
 * model}, {@code serial}, {@code library-*}, {@code slot-description}, {@code slot-manufacturer})
 * are accepted so URIs printed by p11tool or pkcs11-tool work, but they are not checked: the JDK's
 * SunPKCS11 provider selects a token by {@code slot-id} only and does not expose token information.
 * Unknown attributes (other than vendor {@code x-} ones) are refused, so a typo cannot silently
 * select nothing. Error messages name attributes, never values of the query part.
 */
public final class Pkcs11Uri {
  private static final String SCHEME = "pkcs11:";

  private static final Set<String> PATH_ATTRIBUTES =
      Set.of(
          "token",
          "manufacturer",
          "serial",
          "model",
          "library-manufacturer",
          "library-version",
          "library-description",
          "object",
          "type",
          "id",
          "slot-description",
          "slot-manufacturer",
          "slot-id");
  private static final Set<String> QUERY_ATTRIBUTES =
      Set.of("pin-source", "pin-value", "module-name", "module-path");

  private final String text;
  private final Map<String, byte[]> path;
  private final Map<String, byte[]> query;

  private Pkcs11Uri(String text, Map<String, byte[]> path, Map<String, byte[]> query) {
    this.text = text;
    this.path = path;
    this.query = query;
  }

  public static Pkcs11Uri parse(String uri) {
    if (uri == null || !uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new InvalidInputException("a PKCS#11 key must be a 'pkcs11:' URI (RFC 7512)");
    }
    String rest = uri.substring(SCHEME.length());
    int q = rest.indexOf('?');
    String pathPart = q < 0 ? rest : rest.substring(0, q);
    String queryPart = q < 0 ? "" : rest.substring(q + 1);
    Map<String, byte[]> path = attributes(pathPart, ';', "path", PATH_ATTRIBUTES);
    Map<String, byte[]> query = attributes(queryPart, '&', "query", QUERY_ATTRIBUTES);
    Pkcs11Uri parsed = new Pkcs11Uri(uri, path, query);
    parsed.validate();
    return parsed;
  }

  private void validate() {
    if (query.containsKey("pin-value")) {
      throw new InvalidInputException(
          "pkcs11 URI: pin-value is refused because a PIN in the URI ends up in shell history,"
              + " logs and the pipeline graph; use pin-source=file:/path/to/pin-file or"
              + " pin-source=env:VARIABLE");
    }
    if (query.containsKey("module-name")) {
      throw new InvalidInputException(
          "pkcs11 URI: module-name is not supported; name the module file with"
              + " module-path=/absolute/path/to/module.so");
    }
    modulePath()
        .filter(p -> !p.startsWith("/"))
        .ifPresent(
            p -> {
              throw new InvalidInputException(
                  "pkcs11 URI: module-path '" + p + "' must be an absolute path");
            });
    text("type")
        .filter(t -> !t.equals("private"))
        .ifPresent(
            t -> {
              throw new InvalidInputException(
                  "pkcs11 URI: type="
                      + t
                      + " does not name a private key; signing needs type=private (or no type)");
            });
    slotId(); // parses and checks it
    if (!path.containsKey("object") && !path.containsKey("id")) {
      throw new InvalidInputException(
          "pkcs11 URI names no key: give object=<label> (or id=<CKA_ID>)");
    }
  }

  /** The key's label ({@code object}, CKA_LABEL). */
  public Optional<String> label() {
    return text("object");
  }

  /** The key's CKA_ID ({@code id}), raw bytes. */
  public Optional<byte[]> id() {
    return Optional.ofNullable(path.get("id")).map(byte[]::clone);
  }

  /** {@code slot-id}: the PKCS#11 slot, an unsigned decimal number. */
  public OptionalLong slotId() {
    Optional<String> v = text("slot-id");
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    String s = v.get();
    if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidInputException(
          "pkcs11 URI: slot-id '" + s + "' must be a decimal slot number");
    }
    long id = Long.parseLong(s);
    if (id > 0xFFFFFFFFL) {
      throw new InvalidInputException("pkcs11 URI: slot-id " + s + " is larger than 32 bits");
    }
    return OptionalLong.of(id);
  }

  /** {@code token}: the token label (informational, see the class comment). */
  public Optional<String> token() {
    return text("token");
  }

  /** {@code module-path}: the PKCS#11 module (shared library) to load. */
  public Optional<String> modulePath() {
    return queryText("module-path");
  }

  /** {@code pin-source}: where the PIN is read from (a file or an environment variable). */
  public Optional<String> pinSource() {
    return queryText("pin-source");
  }

  /** The URI as given: it never holds a PIN ({@code pin-value} is refused). */
  @Override
  public String toString() {
    return text;
  }

  private Optional<String> text(String name) {
    return Optional.ofNullable(path.get(name)).map(b -> utf8(b, name));
  }

  private Optional<String> queryText(String name) {
    return Optional.ofNullable(query.get(name)).map(b -> utf8(b, name));
  }

  private static Map<String, byte[]> attributes(
      String part, char separator, String kind, Set<String> known) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (part.isEmpty()) {
      return out;
    }
    int index = 0;
    for (String attribute : part.split(String.valueOf(separator), -1)) {
      index++;
      int eq = attribute.indexOf('=');
      if (eq <= 0) {
        // Only the position is named: the text could be a mistyped PIN.
        throw new InvalidInputException(
            "pkcs11 URI: " + kind + " attribute " + index + " is not of the form name=value");
      }
      String name = attribute.substring(0, eq);
      if (!known.contains(name) && !name.startsWith("x-")) {
        throw new InvalidInputException(
            "pkcs11 URI: unknown " + kind + " attribute '" + printable(name) + "'");
      }
      if (out.put(name, percentDecode(attribute.substring(eq + 1), name)) != null) {
        throw new InvalidInputException("pkcs11 URI: attribute '" + name + "' is repeated");
      }
    }
    return out;
  }

  private static byte[] percentDecode(String value, String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
        int lo = i + 2 < value.length() ? Character.digit(value.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new InvalidInputException(
              "pkcs11 URI: attribute '" + name + "' has a malformed %-escape");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }

  private static String utf8(byte[] value, String name) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("pkcs11 URI: attribute '" + name + "' is not UTF-8 text");
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(64).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }
}
