package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelsigning.core.VerificationException;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.VerificationOptions;
import dev.sigstore.VerificationOptions.CertificateMatcher;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.bundle.ImmutableBundle;
import dev.sigstore.strings.StringMatcher;
import dev.sigstore.trustroot.CertificateAuthority;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Verifies a keyless (Fulcio + Rekor) Sigstore bundle offline against a {@link
 * KeylessIdentityPolicy} and returns the signed DSSE payload (the in-toto statement) byte for byte.
 *
 * <p>sigstore-java checks the certificate chain, the embedded SCT, the identity, the DSSE
 * signature, the Rekor entry (SET, inclusion proof, checkpoint) and RFC 3161 timestamps from
 * trusted authorities. On top of that this class checks what sigstore-java 2.0.0 does not: the
 * log's integration time (and every timestamp's time) must fall inside the leaf certificate's
 * validity, or a leaked key could be used after its certificate expired.
 *
 * <p>Timestamps signed by an authority the trust root does not list are set aside rather than
 * failing the bundle (as sigstore-python does): the public-good bundles model_signing writes carry
 * a timestamp from a TSA that older trust roots do not list, and the Rekor entry already proves the
 * time.
 */
public final class SigstoreBundleVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER_OID = "1.3.6.1.4.1.57264.1.8";
  private static final String LEGACY_ISSUER_OID = "1.3.6.1.4.1.57264.1.1";

  static {
    // sigstore-java's timestamp verifier asks for the "BC" provider by name.
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  private final KeylessIdentityPolicy policy;
  private SigstoreTrustedRoot trustedRoot;
  private KeylessVerifier verifier;

  public SigstoreBundleVerifier(KeylessIdentityPolicy policy) {
    this.policy = policy;
  }

  /**
   * Verifies {@code bundleJson} and returns the DSSE payload bytes exactly as signed.
   *
   * @throws VerificationException if anything does not verify
   */
  public byte[] verify(byte[] bundleJson) {
    Bundle bundle = parse(bundleJson);
    Bundle.DsseEnvelope envelope =
        bundle
            .getDsseEnvelope()
            .orElseThrow(
                () -> new VerificationException("bundle holds no DSSE envelope to verify"));
    if (bundle.getEntries().isEmpty()) {
      throw new VerificationException("keyless bundle has no transparency log entry");
    }
    byte[] payload = envelope.getPayload();
    byte[] subjectDigest = subjectSha256(payload);
    X509Certificate leaf = leafOf(bundle);

    SigstoreTrustedRoot root = trustedRoot();
    List<Bundle.Timestamp> trusted = new ArrayList<>();
    for (Bundle.Timestamp timestamp : bundle.getTimestamps()) {
      if (signedByTrustedAuthority(timestamp, root)) {
        trusted.add(timestamp);
      }
    }
    Bundle checked = ImmutableBundle.builder().from(bundle).timestamps(trusted).build();

    try {
      verifier().verify(subjectDigest, checked, options());
    } catch (KeylessVerificationException e) {
      throw explain(e, leaf, payload);
    } catch (RuntimeException e) {
      throw new VerificationException("bundle could not be verified: " + e.getMessage(), e);
    }

    Instant logged = bundle.getEntries().get(0).getIntegratedTimeInstant();
    requireWithinValidity(leaf, logged, "the transparency log integrated the entry");
    for (Bundle.Timestamp timestamp : trusted) {
      requireWithinValidity(leaf, genTime(timestamp), "the RFC 3161 timestamp");
    }
    return payload;
  }

  private static Bundle parse(byte[] bundleJson) {
    try {
      return Bundle.from(new StringReader(new String(bundleJson, StandardCharsets.UTF_8)));
    } catch (BundleParseException | RuntimeException e) {
      throw new VerificationException("not a readable Sigstore bundle: " + e.getMessage(), e);
    }
  }

  private static X509Certificate leafOf(Bundle bundle) {
    var certs = bundle.getCertPath().getCertificates();
    if (certs.isEmpty()) {
      throw new VerificationException("keyless bundle has no signing certificate");
    }
    return (X509Certificate) certs.get(0);
  }

  /** The artifact digest sigstore-java matches against: the statement's one subject's sha256. */
  private static byte[] subjectSha256(byte[] payload) {
    JsonNode subjects;
    try {
      subjects = JSON.readTree(payload).path("subject");
    } catch (IOException e) {
      throw new VerificationException("DSSE payload is not JSON: " + e.getMessage(), e);
    }
    if (!subjects.isArray() || subjects.size() != 1) {
      throw new VerificationException(
          "DSSE payload must have exactly one subject, found "
              + (subjects.isArray() ? subjects.size() : 0));
    }
    String hex = subjects.get(0).path("digest").path("sha256").asText("");
    try {
      byte[] digest = HexFormat.of().parseHex(hex);
      if (digest.length != 32) {
        throw new IllegalArgumentException("wrong length");
      }
      return digest;
    } catch (IllegalArgumentException e) {
      throw new VerificationException("DSSE payload subject has no valid sha256 digest");
    }
  }

  private VerificationOptions options() {
    return VerificationOptions.builder()
        .addCertificateMatchers(
            CertificateMatcher.fulcio()
                .subjectAlternativeName(StringMatcher.string(policy.identity()))
                .issuer(StringMatcher.string(policy.issuer()))
                .build())
        .build();
  }

  private synchronized SigstoreTrustedRoot trustedRoot() {
    if (trustedRoot == null) {
      trustedRoot = policy.trustRoot().load();
    }
    return trustedRoot;
  }

  private synchronized KeylessVerifier verifier() {
    if (verifier == null) {
      SigstoreTrustedRoot root = trustedRoot();
      try {
        verifier = KeylessVerifier.builder().trustedRootProvider(() -> root).build();
      } catch (Exception e) {
        throw new VerificationException(
            "unusable " + policy.trustRoot().describe() + ": " + e.getMessage(), e);
      }
    }
    return verifier;
  }

  private VerificationException explain(
      KeylessVerificationException e, X509Certificate leaf, byte[] payload) {
    String message = e.getMessage();
    if (message != null && message.startsWith("No provided certificate identities matched")) {
      return new VerificationException(
          "signer identity does not match: expected identity '"
              + policy.identity()
              + "' from issuer '"
              + policy.issuer()
              + "', but the certificate names "
              + CertificateIdentity.describe(leaf),
          e);
    }
    if (message != null && message.startsWith("Fulcio certificate was not valid")) {
      return new VerificationException(
          "signing certificate does not chain to " + policy.trustRoot().describe() + ": " + message,
          e);
    }
    StringBuilder text = new StringBuilder("bundle does not verify: ").append(message);
    if (!isAscii(payload)) {
      // sigstore-java 2.0.0 builds the DSSE PAE from character counts, so a correct signature
      // over a non-ASCII payload fails there; model_signing statements are ASCII-escaped.
      text.append(" (note: the DSSE payload is not ASCII, which sigstore-java 2.0.0 mis-encodes)");
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null) {
        text.append(": ").append(cause.getMessage());
      }
    }
    return new VerificationException(text.toString(), e);
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static void requireWithinValidity(X509Certificate leaf, Instant when, String what) {
    try {
      leaf.checkValidity(Date.from(when));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new VerificationException(
          what
              + " at "
              + when
              + ", outside the signing certificate's validity ("
              + leaf.getNotBefore().toInstant()
              + " to "
              + leaf.getNotAfter().toInstant()
              + ")");
    }
  }

  private static boolean signedByTrustedAuthority(
      Bundle.Timestamp timestamp, SigstoreTrustedRoot root) {
    TimeStampToken token;
    try {
      token = new TimeStampResponse(timestamp.getRfc3161Timestamp()).getTimeStampToken();
    } catch (Exception e) {
      return true; // unreadable: keep it so that sigstore-java reports it
    }
    if (token == null) {
      return true;
    }
    for (CertificateAuthority tsa : root.getTSAs()) {
      var chain = tsa.getCertPath().getCertificates();
      if (chain.isEmpty()) {
        continue;
      }
      try {
        token.validate(
            new JcaSimpleSignerInfoVerifierBuilder()
                .setProvider(BouncyCastleProvider.PROVIDER_NAME)
                .build((X509Certificate) chain.get(0)));
        return true;
      } catch (Exception e) {
        // not this authority
      }
    }
    return false;
  }

  private static Instant genTime(Bundle.Timestamp timestamp) {
    try {
      return new TimeStampResponse(timestamp.getRfc3161Timestamp())
          .getTimeStampToken()
          .getTimeStampInfo()
          .getGenTime()
          .toInstant();
    } catch (Exception e) {
      throw new VerificationException("unreadable RFC 3161 timestamp: " + e.getMessage(), e);
    }
  }

  /** Reads the identity Fulcio wrote into a leaf, for error messages. */
  static final class CertificateIdentity {
    private CertificateIdentity() {}

    static String describe(X509Certificate leaf) {
      List<String> names = new ArrayList<>();
      try {
        var sans = leaf.getSubjectAlternativeNames();
        if (sans != null) {
          for (List<?> san : sans) {
            names.add(String.valueOf(san.get(1)));
          }
        }
      } catch (Exception e) {
        names.add("<unreadable SAN>");
      }
      return "identity " + names + " from issuer '" + issuer(leaf) + "'";
    }

    static String issuer(X509Certificate leaf) {
      try {
        byte[] der = leaf.getExtensionValue(ISSUER_OID);
        if (der != null) {
          var octets =
              (org.bouncycastle.asn1.ASN1OctetString)
                  org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der);
          return org.bouncycastle.asn1.ASN1UTF8String.getInstance(octets.getOctets()).getString();
        }
        byte[] legacy = leaf.getExtensionValue(LEGACY_ISSUER_OID);
        if (legacy != null) {
          var octets =
              (org.bouncycastle.asn1.ASN1OctetString)
                  org.bouncycastle.asn1.ASN1Primitive.fromByteArray(legacy);
          return new String(octets.getOctets(), StandardCharsets.UTF_8);
        }
      } catch (Exception e) {
        return "<unreadable>";
      }
      return "<none>";
    }
  }
}
