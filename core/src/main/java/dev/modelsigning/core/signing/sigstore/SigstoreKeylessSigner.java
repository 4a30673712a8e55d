package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleWriter;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.Statement;
import dev.modelsigning.core.signing.Certificates;
import dev.modelsigning.core.signing.ModelSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Sigstore keyless signing: an ephemeral P-256 key, a Fulcio certificate for the caller's OIDC
 * identity, a DSSE signature over the statement, an RFC 3161 timestamp over the signature when the
 * instance has a timestamp authority, and a transparency log entry: Rekor v1 {@code dsse}, or on a
 * Rekor v2 log a {@code hashedrekord} over the envelope's PAE (or, on request, {@code dsse} 0.0.2).
 * Rekor v2 records no time, so there the timestamp is mandatory. The private key never leaves this
 * call.
 */
public final class SigstoreKeylessSigner implements ModelSigner {
  private final SigstoreInstance instance;
  private final IdentityTokenSource tokens;
  private final HttpTransport http;
  private final RekorV2Entry rekorV2Entry;

  public SigstoreKeylessSigner(SigstoreInstance instance, IdentityTokenSource tokens) {
    this(instance, tokens, HttpTransport.defaults());
  }

  public SigstoreKeylessSigner(
      SigstoreInstance instance, IdentityTokenSource tokens, HttpTransport http) {
    this(instance, tokens, http, RekorV2Entry.HASHEDREKORD);
  }

  private SigstoreKeylessSigner(
      SigstoreInstance instance,
      IdentityTokenSource tokens,
      HttpTransport http,
      RekorV2Entry rekorV2Entry) {
    this.instance = instance;
    this.tokens = tokens;
    this.http = http;
    this.rekorV2Entry = rekorV2Entry;
  }

  /** The same signer, asking a Rekor v2 log for {@code entry} (ignored for Rekor v1). */
  public SigstoreKeylessSigner withRekorV2Entry(RekorV2Entry entry) {
    return new SigstoreKeylessSigner(instance, tokens, http, Objects.requireNonNull(entry));
  }

  @Override
  public byte[] sign(byte[] statementJson) {
    if (instance.rekorApiVersion() == 2 && instance.tsaUrl().isEmpty()) {
      throw new InvalidInputException(
          "the Rekor v2 log "
              + instance.rekorUrl()
              + " records no signing time, so it needs an RFC 3161 timestamp authority, but the"
              + " Sigstore instance names none (tsaUrls)");
    }
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

    byte[] signature =
        ecdsaSha256(key.getPrivate(), Dsse.pae(Statement.PAYLOAD_TYPE, statementJson));
    DsseEnvelope envelope = new DsseEnvelope(statementJson, Statement.PAYLOAD_TYPE, signature, "");

    List<byte[]> timestamps = new ArrayList<>();
    instance
        .tsaUrl()
        .ifPresent(
            url -> timestamps.add(new TimestampAuthorityClient(url, http).timestamp(signature)));

    ObjectNode entry =
        instance.rekorApiVersion() == 2
            ? rekorV2Entry(envelope, certificate)
            : new RekorClient(instance.rekorUrl(), http)
                .uploadDsse(BundleWriter.envelopeJson(envelope), certificate.leaf())
                .toBundleJson();

    return BundleWriter.keylessBundle(
        envelope, Certificates.der(certificate.leaf()), entry, timestamps);
  }

  /** Logs the envelope on Rekor v2 and checks the log recorded what was asked. */
  private ObjectNode rekorV2Entry(DsseEnvelope envelope, SigningCertificate certificate) {
    X509Certificate leaf = certificate.leaf();
    ObjectNode request =
        rekorV2Entry == RekorV2Entry.DSSE
            ? EntryBodies.dsseRequest(envelope, leaf)
            : EntryBodies.hashedRekordRequest(envelope, leaf);
    ObjectNode entry = new RekorV2Client(instance.rekorUrl(), http).upload(request);
    try {
      EntryBodies.requireMatches(BundleLogEntry.parse(entry), envelope, leaf);
    } catch (VerificationException e) {
      throw new SigstoreServiceException(
          instance.rekorUrl(),
          "Rekor v2 at " + instance.rekorUrl() + " logged something else: " + e.getMessage(),
          e);
    }
    return entry;
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
