package dev.modelsigning.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.opentest4j.TestAbortedException;

/**
 * A real PKCS#11 token for tests: SoftHSM2 (Debian {@code softhsm2}) with tokens initialised by
 * {@code softhsm2-util} in a temp directory, and keys generated inside the token by OpenSC's {@code
 * pkcs11-tool} (Debian {@code opensc}), as an HSM administrator would. Nothing here imitates
 * PKCS#11: the module under test is the real library, loaded by the JDK's SunPKCS11 provider.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} once, when the JVM first loads the module, and a JVM
 * cannot set its own environment; so the module's surefire configuration points {@code
 * SOFTHSM2_CONF} at a file under {@code target/} (see core/pom.xml) and this class writes it, with
 * the token directory in a fresh temp directory, before anything loads the module. The same file is
 * given to the command-line tools.
 *
 * <p>Without SoftHSM installed the calling test is skipped with {@link #MISSING}, or fails under CI
 * ({@code CI=true}), like {@link Interop}.
 */
public final class SoftHsm {
  public static final Path MODULE = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  public static final String MISSING =
      "SoftHSM2 is not installed (Debian packages softhsm2 and opensc: "
          + MODULE
          + ", softhsm2-util, pkcs11-tool); .ci/run installs them, or run"
          + " `apt-get install -y softhsm2 opensc`";

  private static final Pattern REASSIGNED = Pattern.compile("reassigned to slot (\\d+)");
  private static SoftHsm instance;

  private final Path conf;

  private SoftHsm(Path conf) {
    this.conf = conf;
  }

  /** The per-JVM SoftHSM; skips (or, under CI, fails) the test when it is not installed. */
  public static synchronized SoftHsm get() {
    if (instance != null) {
      return instance;
    }
    if (!Files.isRegularFile(MODULE)
        || onPath("softhsm2-util") == null
        || onPath("pkcs11-tool") == null) {
      if (Interop.required()) {
        throw new IllegalStateException("CI=true but " + MISSING);
      }
      throw new TestAbortedException(MISSING);
    }
    String configured = System.getenv("SOFTHSM2_CONF");
    Path target = Paths.get(System.getProperty("user.dir"), "target").toAbsolutePath();
    if (configured == null || !Path.of(configured).toAbsolutePath().startsWith(target)) {
      // Never overwrite a real SoftHSM configuration: only a file under this module's target/.
      throw new IllegalStateException(
          "SOFTHSM2_CONF must point under "
              + target
              + " (set by surefire's environmentVariables, see core/pom.xml); it is "
              + configured);
    }
    try {
      Path conf = Path.of(configured).toAbsolutePath();
      Files.createDirectories(conf.getParent());
      Path tokens = Files.createTempDirectory(conf.getParent(), "softhsm-tokens-");
      Files.writeString(
          conf,
          "directories.tokendir = "
              + tokens
              + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
      instance = new SoftHsm(conf);
      return instance;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Initialises a new token in the first free slot; returns it with its (new) slot id. */
  public Token initToken(String label, String soPin, String userPin) {
    String out =
        run(
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--so-pin",
            soPin,
            "--pin",
            userPin);
    Matcher m = REASSIGNED.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("softhsm2-util printed no slot: " + out);
    }
    return new Token(label, Long.parseLong(m.group(1)), userPin);
  }

  /** A token and the user PIN the test gave it (test PINs only). */
  public final class Token {
    private final String label;
    private final long slotId;
    private final String pin;

    private Token(String label, long slotId, String pin) {
      this.label = label;
      this.slotId = slotId;
      this.pin = pin;
    }

    public String label() {
      return label;
    }

    public long slotId() {
      return slotId;
    }

    /** Generates a key pair in the token, e.g. {@code EC:prime256v1}, {@code rsa:2048}. */
    public void generateKeyPair(String keyType, String idHex, String keyLabel) {
      run(
          "pkcs11-tool",
          "--module",
          MODULE.toString(),
          "--token-label",
          label,
          "--login",
          "--pin",
          pin,
          "--keypairgen",
          "--key-type",
          keyType,
          "--id",
          idHex,
          "--label",
          keyLabel);
    }

    /**
     * The public key object with CKA_ID {@code idHex}, read from the token by pkcs11-tool (not by
     * the code under test). EC keys are rebuilt from the object's CKA_EC_PARAMS and CKA_EC_POINT,
     * as model_signing's PKCS#11 signer does (this pkcs11-tool cannot export P-384 keys as DER).
     */
    public PublicKey exportPublicKey(String idHex) {
      String listing =
          run(
              "pkcs11-tool",
              "--module",
              MODULE.toString(),
              "--token-label",
              label,
              "--list-objects",
              "--type",
              "pubkey");
      for (String object : listing.split("Public Key Object;")) {
        Matcher id = Pattern.compile("\\n\\s*ID:\\s*([0-9a-fA-F]+)").matcher(object);
        if (!id.find() || !id.group(1).equalsIgnoreCase(idHex)) {
          continue;
        }
        Matcher point = Pattern.compile("EC_POINT:\\s*([0-9a-fA-F]+)").matcher(object);
        Matcher params = Pattern.compile("EC_PARAMS:\\s*([0-9a-fA-F]+)").matcher(object);
        if (point.find() && params.find()) {
          return ecPublicKey(hex(params.group(1)), hex(point.group(1)));
        }
        return readDerPublicKey(idHex);
      }
      throw new IllegalStateException("no public key object with id " + idHex + ": " + listing);
    }

    private PublicKey readDerPublicKey(String idHex) {
      Path der = tempFile("pub-", ".der");
      run(
          "pkcs11-tool",
          "--module",
          MODULE.toString(),
          "--token-label",
          label,
          "--read-object",
          "--type",
          "pubkey",
          "--id",
          idHex,
          "--output-file",
          der.toString());
      try {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new X509EncodedKeySpec(Files.readAllBytes(der)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      } finally {
        delete(der);
      }
    }

    /** Stores a certificate object; {@code certLabel} null leaves it without CKA_LABEL. */
    public void writeCertificate(X509Certificate certificate, String idHex, String certLabel) {
      Path der = tempFile("cert-", ".der");
      try {
        Files.write(der, certificate.getEncoded());
        List<String> command =
            new ArrayList<>(
                List.of(
                    "pkcs11-tool",
                    "--module",
                    MODULE.toString(),
                    "--token-label",
                    label,
                    "--login",
                    "--pin",
                    pin,
                    "--write-object",
                    der.toString(),
                    "--type",
                    "cert",
                    "--id",
                    idHex));
        if (certLabel != null) {
          command.addAll(List.of("--label", certLabel));
        }
        run(command.toArray(String[]::new));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      } finally {
        delete(der);
      }
    }
  }

  private static PublicKey ecPublicKey(byte[] ecParams, byte[] ecPoint) {
    try {
      SubjectPublicKeyInfo spki =
          new SubjectPublicKeyInfo(
              new AlgorithmIdentifier(
                  X9ObjectIdentifiers.id_ecPublicKey, ASN1ObjectIdentifier.getInstance(ecParams)),
              ASN1OctetString.getInstance(ecPoint).getOctets());
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }

  private String run(String... command) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      p.getInputStream().transferTo(out);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command[0] + " timed out");
      }
      String text = out.toString(StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            command[0] + " " + command[1] + " failed (exit " + p.exitValue() + "): " + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path tempFile(String prefix, String suffix) {
    try {
      return Files.createTempFile(prefix, suffix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a temp file: nothing to do
    }
  }

  private static Path onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
