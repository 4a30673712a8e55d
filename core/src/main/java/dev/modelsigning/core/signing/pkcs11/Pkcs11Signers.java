package dev.modelsigning.core.signing.pkcs11;

import dev.modelsigning.core.signing.CertificateSigner;
import dev.modelsigning.core.signing.KeySigner;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code --signer=pkcs11} signers, in the two forms model_signing has: {@code sign pkcs11-key}
 * (public key hint) and {@code sign pkcs11-certificate} (certificate chain). The bundles are the
 * same as those of {@link KeySigner} and {@link CertificateSigner} with a local key.
 */
public final class Pkcs11Signers {
  private Pkcs11Signers() {}

  /**
   * @param pkcs11Uri an RFC 7512 URI with {@code slot-id}, {@code object} (or {@code id}) and the
   *     PIN's {@code pin-source} (see {@link Pkcs11Uri})
   * @param defaultModule the PKCS#11 module when the URI has no {@code module-path}, or null
   */
  public static KeySigner key(String pkcs11Uri, @Nullable Path defaultModule) {
    return KeySigner.of(Pkcs11SigningKey.open(pkcs11Uri, defaultModule));
  }

  /**
   * @param signingCertificatePem the certificate of the token's key
   * @param chainPems intermediates, leaf's issuer first (a self-signed root is left out)
   */
  public static CertificateSigner certificate(
      String pkcs11Uri,
      @Nullable Path defaultModule,
      Path signingCertificatePem,
      List<Path> chainPems) {
    return CertificateSigner.fromPem(
        Pkcs11SigningKey.open(pkcs11Uri, defaultModule), signingCertificatePem, chainPems);
  }
}
