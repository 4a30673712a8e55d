/**
 * Signing with a private key in a PKCS#11 token (an HSM, a smart card, SoftHSM) through the JDK's
 * SunPKCS11 provider: {@link dev.modelsigning.core.signing.pkcs11.Pkcs11Signers} builds the key and
 * certificate signers from an RFC 7512 {@code pkcs11:} URI ({@link
 * dev.modelsigning.core.signing.pkcs11.Pkcs11Uri}); the PIN comes from a file or an environment
 * variable, never from the URI or an option value.
 */
@NullMarked
package dev.modelsigning.core.signing.pkcs11;

import org.jspecify.annotations.NullMarked;
