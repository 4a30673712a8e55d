package dev.modelsigning.core.signing.pkcs11;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.signing.EcSignatureScheme;
import dev.modelsigning.core.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An EC private key in a PKCS#11 token (an HSM, a smart card, SoftHSM), used through the JDK's
 * SunPKCS11 provider: the key never leaves the token, the token hashes nothing we could not check,
 * and the PIN is read from its source for each login and wiped after.
 *
 * <p>The JDK's PKCS#11 KeyStore shows a private key only together with a certificate object that
 * has the same CKA_ID, under that certificate's label. So the token must hold a certificate for the
 * key (any certificate: self-signed or issued by a CA); {@code object=} names it by label, and
 * {@code id=} alone works when the certificate has no label. The public key is taken from that
 * certificate and proved to belong to the private key by a test signature when the key is opened,
 * before any model is hashed.
 */
public final class Pkcs11SigningKey implements SigningKey {
  /** Debian's SoftHSM2 module, the default when the URI names no {@code module-path}. */
  public static final Path SOFTHSM2_MODULE = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  private static final byte[] PROBE =
      "model-signing: prove the token key matches its certificate".getBytes(StandardCharsets.UTF_8);

  private final Pkcs11Uri uri;
  private final SunPkcs11Slot slot;
  private final PinSource pin;
  private final String alias;
  private final PublicKey publicKey;
  private final EcSignatureScheme scheme;

  private Pkcs11SigningKey(
      Pkcs11Uri uri,
      SunPkcs11Slot slot,
      PinSource pin,
      String alias,
      PublicKey publicKey,
      EcSignatureScheme scheme) {
    this.uri = uri;
    this.slot = slot;
    this.pin = pin;
    this.alias = alias;
    this.publicKey = publicKey;
    this.scheme = scheme;
  }

  /**
   * Opens the key a {@code pkcs11:} URI names: loads the module, logs in, finds the key, checks it
   * is EC on P-256, P-384 or P-521 and signs a probe with it.
   *
   * @param defaultModule the module when the URI has no {@code module-path} (e.g. {@link
   *     #SOFTHSM2_MODULE}), or null
   * @throws InvalidInputException for a bad URI, a missing module, slot or key, a wrong PIN or a
   *     key of another type
   * @throws ModelSigningException when the token fails
   */
  public static Pkcs11SigningKey open(String pkcs11Uri, @Nullable Path defaultModule) {
    Pkcs11Uri uri = Pkcs11Uri.parse(pkcs11Uri);
    Path module = uri.modulePath().map(Path::of).orElse(defaultModule);
    if (module == null) {
      throw new InvalidInputException(
          "pkcs11 URI has no module-path and no default PKCS#11 module is configured");
    }
    long slotId =
        uri.slotId()
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "pkcs11 URI needs slot-id=<n>: the JDK's SunPKCS11 provider selects a"
                            + " token by slot, not by its label (list slots with `pkcs11-tool"
                            + " --module "
                            + module
                            + " -L`)"));
    PinSource pin = uri.pinSource().map(PinSource::parse).orElse(PinSource.none());
    SunPkcs11Slot slot = SunPkcs11Slot.open(module, slotId);
    return slot.withLogin(
        pin,
        keyStore -> {
          String alias = findAlias(keyStore, uri, slot);
          Certificate certificate = keyStore.getCertificate(alias);
          PublicKey publicKey = certificate.getPublicKey();
          EcSignatureScheme scheme;
          try {
            scheme = EcSignatureScheme.of(publicKey);
          } catch (InvalidInputException e) {
            throw new InvalidInputException(
                "PKCS#11 key '" + alias + "' in " + slot.describe() + ": " + e.getMessage());
          }
          byte[] probe = sign(keyStore, slot, alias, scheme, PROBE);
          if (!scheme.verify(publicKey, PROBE, probe)) {
            throw new InvalidInputException(
                "PKCS#11 key '"
                    + alias
                    + "' in "
                    + slot.describe()
                    + " does not match the public key of its certificate (same CKA_ID)");
          }
          return new Pkcs11SigningKey(uri, slot, pin, alias, publicKey, scheme);
        });
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  public EcSignatureScheme scheme() {
    return scheme;
  }

  @Override
  public byte[] signDer(byte[] message) {
    return slot.withLogin(pin, keyStore -> sign(keyStore, slot, alias, scheme, message));
  }

  @Override
  public String description() {
    return "PKCS#11 key '" + alias + "' in " + slot.describe();
  }

  /** The URI this key was opened from (it never holds a PIN). */
  @Override
  public String toString() {
    return uri.toString();
  }

  private static byte[] sign(
      KeyStore keyStore, SunPkcs11Slot slot, String alias, EcSignatureScheme scheme, byte[] data)
      throws GeneralSecurityException {
    Key key = keyStore.getKey(alias, null);
    if (!(key instanceof PrivateKey privateKey)) {
      throw new InvalidInputException(
          "PKCS#11 object '" + alias + "' in " + slot.describe() + " is not a private key");
    }
    // SunPKCS11 hashes in the JDK if the token lacks CKM_ECDSA_SHAxxx, and returns DER either way.
    Signature signature = Signature.getInstance(scheme.jcaAlgorithm(), slot.provider());
    signature.initSign(privateKey);
    signature.update(data);
    return signature.sign();
  }

  private static String findAlias(KeyStore keyStore, Pkcs11Uri uri, SunPkcs11Slot slot)
      throws GeneralSecurityException {
    String wanted =
        uri.label()
            .orElseGet(() -> jdkAliasForId(uri.id().orElseThrow(IllegalStateException::new)));
    String what = uri.label().isPresent() ? "labelled '" + wanted + "'" : "with id " + wanted;
    if (keyStore.isKeyEntry(wanted)) {
      return wanted;
    }
    if (keyStore.containsAlias(wanted)) {
      throw new InvalidInputException(
          "PKCS#11 object "
              + what
              + " in "
              + slot.describe()
              + " is a certificate with no private key of the same CKA_ID");
    }
    List<String> keys = new ArrayList<>();
    for (String a : Collections.list(keyStore.aliases())) {
      if (keyStore.isKeyEntry(a)) {
        keys.add(a);
      }
    }
    Collections.sort(keys);
    throw new InvalidInputException(
        "no private key "
            + what
            + " in "
            + slot.describe()
            + " (the JDK sees a private key only with a certificate of the same CKA_ID; keys"
            + " seen: "
            + (keys.isEmpty() ? "none" : String.join(", ", keys))
            + ")");
  }

  /** The alias SunPKCS11 gives a key whose certificate has no label: its CKA_ID. */
  private static String jdkAliasForId(byte[] id) {
    boolean printable = id.length > 0;
    for (byte b : id) {
      printable &= isPrintableStringChar((char) (b & 0xff));
    }
    return printable ? new String(id, StandardCharsets.UTF_8) : "0x" + HexFormat.of().formatHex(id);
  }

  /** ASN.1 PrintableString characters, the JDK's test for a readable CKA_ID. */
  private static boolean isPrintableStringChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || " '()+,-./:=?".indexOf(c) >= 0;
  }
}
