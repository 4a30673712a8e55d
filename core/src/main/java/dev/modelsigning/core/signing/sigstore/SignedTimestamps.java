package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.VerificationException;
import dev.sigstore.trustroot.CertificateAuthority;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.jspecify.annotations.Nullable;

/**
 * Sorts a bundle's RFC 3161 timestamps into those signed by a timestamp authority the trust root
 * lists (each checked fully: signature, signing certificate, chain and validity at the stamped
 * time, the authority's window in the trust root, and that it stamps this very signature) and those
 * from an authority it does not list, which prove nothing and are returned separately. A timestamp
 * that claims a listed authority but fails a check refuses the bundle.
 */
final class SignedTimestamps {
  private static final Map<ASN1ObjectIdentifier, String> IMPRINT_DIGESTS =
      Map.of(
          NISTObjectIdentifiers.id_sha256, "SHA-256",
          NISTObjectIdentifiers.id_sha384, "SHA-384",
          NISTObjectIdentifiers.id_sha512, "SHA-512");

  /** A timestamp from a listed authority, checked. */
  record Trusted(Instant time, String authority) {}

  /** A timestamp whose authority the trust root does not list. */
  record Unlisted(int index, String authority) {}

  /** Both lists, in bundle order. */
  record Sorted(List<Trusted> trusted, List<Unlisted> unlisted) {}

  private SignedTimestamps() {}

  /**
   * @param timestamps DER TimeStampResp values from {@code rfc3161Timestamps[].signedTimestamp}
   * @param signature the DSSE signature bytes, which each timestamp must cover
   */
  static Sorted sort(
      List<byte[]> timestamps, byte[] signature, List<CertificateAuthority> authorities) {
    List<Trusted> trusted = new ArrayList<>();
    List<Unlisted> unlisted = new ArrayList<>();
    for (int i = 0; i < timestamps.size(); i++) {
      String name = "RFC 3161 timestamp #" + (i + 1);
      TimeStampToken token = token(timestamps.get(i), name);
      CertificateAuthority authority = listedSigner(token, authorities);
      if (authority == null) {
        unlisted.add(new Unlisted(i + 1, signerName(token)));
        continue;
      }
      trusted.add(check(token, authority, signature, name));
    }
    return new Sorted(List.copyOf(trusted), List.copyOf(unlisted));
  }

  private static Trusted check(
      TimeStampToken token, CertificateAuthority authority, byte[] signature, String name) {
    String who = describe(authority);
    List<X509Certificate> chain = chain(authority);
    Instant time = token.getTimeStampInfo().getGenTime().toInstant();
    try {
      // Also checks the signing certificate's validity at genTime, its timeStamping EKU and that
      // the token names that certificate.
      token.validate(
          new JcaSimpleSignerInfoVerifierBuilder()
              .setProvider(BouncyCastleProvider.PROVIDER_NAME)
              .build(chain.get(0)));
    } catch (Exception e) {
      throw new VerificationException(
          name + " from " + who + " does not verify: " + e.getMessage(), e);
    }
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      try {
        cert.checkValidity(Date.from(time));
        if (i + 1 < chain.size()) {
          cert.verify(chain.get(i + 1).getPublicKey()); // the last one is the trust anchor
        }
      } catch (Exception e) {
        throw new VerificationException(
            name
                + " from "
                + who
                + ": the authority's certificate "
                + cert.getSubjectX500Principal()
                + " does not hold at "
                + time
                + ": "
                + e.getMessage(),
            e);
      }
    }
    if (!authority.getValidFor().contains(time)) {
      throw new VerificationException(
          name
              + " at "
              + time
              + " is outside the validity of timestamp authority "
              + who
              + " in the trust root ("
              + authority.getValidFor().getStart()
              + " to "
              + authority.getValidFor().getEnd().map(Instant::toString).orElse("(no end)")
              + ")");
    }
    var imprint = token.getTimeStampInfo();
    String digest = IMPRINT_DIGESTS.get(imprint.getMessageImprintAlgOID());
    if (digest == null
        || !MessageDigest.isEqual(imprint.getMessageImprintDigest(), digest(digest, signature))) {
      throw new VerificationException(
          name + " from " + who + " does not stamp this bundle's signature");
    }
    return new Trusted(time, who);
  }

  private static TimeStampToken token(byte[] der, String name) {
    try {
      TimeStampToken token = new TimeStampResponse(der).getTimeStampToken();
      if (token == null) {
        throw new VerificationException(name + " holds no granted timestamp token");
      }
      return token;
    } catch (VerificationException e) {
      throw e;
    } catch (Exception e) {
      throw new VerificationException(name + " is not a readable RFC 3161 response", e);
    }
  }

  /** The listed authority whose signing certificate the token names as its signer, or null. */
  private static @Nullable CertificateAuthority listedSigner(
      TimeStampToken token, List<CertificateAuthority> authorities) {
    for (CertificateAuthority authority : authorities) {
      List<X509Certificate> chain = chain(authority);
      if (chain.isEmpty()) {
        continue;
      }
      try {
        if (token.getSID().match(new X509CertificateHolder(chain.get(0).getEncoded()))) {
          return authority;
        }
      } catch (java.io.IOException | CertificateEncodingException e) {
        // an unreadable trust root certificate names no signer
      }
    }
    return null;
  }

  private static String signerName(TimeStampToken token) {
    var sid = token.getSID();
    return sid.getIssuer() != null
        ? "issuer " + sid.getIssuer() + ", serial " + sid.getSerialNumber()
        : "an unnamed signer";
  }

  private static List<X509Certificate> chain(CertificateAuthority authority) {
    List<X509Certificate> chain = new ArrayList<>();
    authority.getCertPath().getCertificates().forEach(c -> chain.add((X509Certificate) c));
    return chain;
  }

  static String describe(CertificateAuthority authority) {
    List<X509Certificate> chain = chain(authority);
    String subject = chain.isEmpty() ? "?" : chain.get(0).getSubjectX500Principal().getName();
    return authority.getUri() != null && !authority.getUri().toString().isEmpty()
        ? authority.getUri() + " (" + subject + ")"
        : subject;
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
