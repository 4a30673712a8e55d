package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.signing.ModelSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sigstore keyless signing: an ephemeral P-256 key, a Fulcio certificate for the caller's OIDC
 * identity, a DSSE signature over the statement, a Rekor v1 {@code dsse} entry and, when the
 * instance has one, an RFC 3161 timestamp over the signature. The private key never leaves this
 * call.
 */
public final class SigstoreKeylessSigner implements ModelSigner {
  private final SigstoreInstance instance;
  private final IdentityTokenSource tokens;
  private final HttpTransport http;

  public SigstoreKeylessSigner(SigstoreInstance instance, IdentityTokenSource tokens) {
    this(instance, tokens, HttpTransport.defaults());
  }

  public SigstoreKeylessSigner(
      SigstoreInstance instance, IdentityTokenSource tokens, HttpTransport http) {
    this.instance = instance;
    this.tokens = tokens;
    this.http = http;
  }

  @Override
  public byte[] sign(byte[] statementJson) {
    String token = tokens.token();
    IdentityTokenClaims claims = IdentityTokenClaims.parseUnverified(token);
    KeyPair key = ephemeralKey();

    byte[] proof =
        ecdsaSha256(
            key.getPrivate(), claims.proofOfPossessionSubject().getBytes(StandardCharsets.UTF_8));
    SigningCertificate certificate =
        new FulcioClient(instance.fulcioUrl(), http)
            .requestCertificate(token, key.getPublic(), proof);
    if (!Arrays.equals(
        certificate.leaf().getPublicKey().getEncoded(), key.getPublic().getEncoded())) {
      throw new SigstoreServiceException(
          instance.fulcioUrl(),
          200,
          "Fulcio at " + instance.fulcioUrl() + " issued a certificate for a different key");
    }

    String payloadType = KeylessBundle.IN_TOTO_PAYLOAD_TYPE;
    byte[] signature = ecdsaSha256(key.getPrivate(), Dsse.pae(payloadType, statementJson));
    var envelope = KeylessBundle.envelope(statementJson, payloadType, signature);

    TransparencyLogEntry entry =
        new RekorClient(instance.rekorUrl(), http)
            .uploadDsse(KeylessBundle.compact(envelope), certificate.leaf());

    List<byte[]> timestamps = new ArrayList<>();
    instance
        .tsaUrl()
        .ifPresent(
            url -> timestamps.add(new TimestampAuthorityClient(url, http).timestamp(signature)));

    return KeylessBundle.assemble(certificate.leaf(), entry, timestamps, envelope);
  }

  private static KeyPair ephemeralKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new ModelSigningException("could not create an ephemeral P-256 key", e);
    }
  }

  /** ECDSA over SHA-256, ASN.1 DER signature (what Sigstore and DSSE verifiers expect). */
  private static byte[] ecdsaSha256(PrivateKey key, byte[] data) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new ModelSigningException("could not sign with the ephemeral key", e);
    }
  }
}
