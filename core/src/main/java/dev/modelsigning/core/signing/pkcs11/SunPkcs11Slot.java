package dev.modelsigning.core.signing.pkcs11;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.login.LoginException;

/**
 * One slot of a PKCS#11 module, opened through the JDK's SunPKCS11 provider, and the only way this
 * package logs in to it.
 *
 * <p>PKCS#11 login state belongs to the whole process, per token: once any code in the JVM has
 * logged in, the JDK skips the next login, so a second signer with a wrong PIN would silently use
 * the first one's session. Every use therefore logs in, works and logs out again while holding this
 * slot's lock, and slots are shared per (module, slot) so the lock covers every user in the JVM.
 */
final class SunPkcs11Slot {
  private static final Map<String, SunPkcs11Slot> OPEN = new ConcurrentHashMap<>();

  private final Path module;
  private final long slotId;
  private final AuthProvider provider;

  private SunPkcs11Slot(Path module, long slotId, AuthProvider provider) {
    this.module = module;
    this.slotId = slotId;
    this.provider = provider;
  }

  /** What a {@link #withLogin} caller does with the logged-in token. */
  interface Work<T> {
    T run(KeyStore keyStore) throws GeneralSecurityException;
  }

  static SunPkcs11Slot open(Path module, long slotId) {
    if (!Files.isRegularFile(module)) {
      throw new InvalidInputException("PKCS#11 module '" + module + "' does not exist");
    }
    if (slotId > Integer.MAX_VALUE) {
      // SunPKCS11 reads "slot" as a Java int.
      throw new InvalidInputException(
          "PKCS#11 slot-id "
              + slotId
              + " is above "
              + Integer.MAX_VALUE
              + ", which the JDK's SunPKCS11 provider cannot address");
    }
    String path = module.toAbsolutePath().normalize().toString();
    if (path.contains("\"") || path.contains("\\") || path.contains("${") || path.contains("\n")) {
      throw new InvalidInputException(
          "PKCS#11 module path '"
              + path
              + "' has characters a SunPKCS11 configuration cannot hold");
    }
    return OPEN.computeIfAbsent(
        path + "#" + slotId,
        k -> new SunPkcs11Slot(Path.of(path), slotId, configure(path, slotId)));
  }

  private static AuthProvider configure(String library, long slotId) {
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new ModelSigningException("this JDK has no SunPKCS11 provider (jdk.crypto.cryptoki)");
    }
    String config =
        "--name = model-signing-slot-"
            + slotId
            + "\nlibrary = \""
            + library
            + "\"\nslot = "
            + slotId
            + "\n";
    try {
      return (AuthProvider) base.configure(config);
    } catch (ProviderException | IllegalArgumentException e) {
      throw new InvalidInputException(
          "cannot open PKCS#11 slot " + slotId + " of module '" + library + "': " + rootCause(e));
    }
  }

  Provider provider() {
    return provider;
  }

  String describe() {
    return "PKCS#11 slot " + slotId + " of '" + module + "'";
  }

  /** Logs in with the PIN from {@code pin}, runs {@code work}, and always logs out. */
  synchronized <T> T withLogin(PinSource pin, Work<T> work) {
    char[] secret = pin.read();
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
      keyStore.load(null, secret);
      return work.run(keyStore);
    } catch (IOException e) {
      throw loginFailure(pin, e);
    } catch (GeneralSecurityException | ProviderException e) {
      throw new ModelSigningException(describe() + ": " + rootCause(e), e);
    } finally {
      if (secret != null) {
        Arrays.fill(secret, '\0');
      }
      logout();
    }
  }

  private void logout() {
    try {
      provider.logout();
    } catch (LoginException | ProviderException e) {
      // Nothing else to do: a token that cannot log out has already failed the work above, and
      // the next login's PIN check is not skipped unless the session survived.
    }
  }

  private ModelSigningException loginFailure(PinSource pin, IOException e) {
    String code = rootCause(e);
    if (hasCause(e, UnrecoverableKeyException.class) || code.contains("CKR_PIN_INCORRECT")) {
      return new InvalidInputException(
          "login to " + describe() + " failed: wrong PIN (from the " + pin + ")");
    }
    if (code.contains("CKR_PIN_LOCKED")) {
      return new InvalidInputException(
          "login to " + describe() + " failed: the PIN is locked (CKR_PIN_LOCKED)");
    }
    if (code.contains("CKR_PIN_LEN_RANGE")) {
      return new InvalidInputException(
          "login to "
              + describe()
              + " failed: the token refuses the length of the PIN from the "
              + pin);
    }
    if (pin.isNone() && code.contains("no password")) {
      return new InvalidInputException(
          describe()
              + " needs a PIN: add pin-source=file:/path/to/pin-file or pin-source=env:VARIABLE"
              + " to the pkcs11 URI");
    }
    return new ModelSigningException("login to " + describe() + " failed: " + code, e);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The most specific message in the chain: SunPKCS11 wraps the token's {@code CKR_*} code in
   * several generic layers ("load failed", "Initialization failed").
   */
  static String rootCause(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s+", " ").trim();
  }
}
