package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.InvalidInputException;
import dev.sigstore.trustroot.CertificateAuthority;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.trustroot.TransparencyLog;
import dev.sigstore.trustroot.ValidFor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A loaded trust root as keyless verification uses it: the Rekor logs (v1 and v2) with their key
 * windows, the certificate authorities and the timestamp authorities. Built once per trust root;
 * refuses roots whose log keys have no validity start or whose timestamp authorities list no CA.
 */
final class TrustedMaterial {
  private final String description;
  private final SigstoreTrustedRoot root;
  private final List<TrustedLog> tlogs;

  private TrustedMaterial(String description, SigstoreTrustedRoot root, List<TrustedLog> tlogs) {
    this.description = description;
    this.root = root;
    this.tlogs = tlogs;
  }

  /**
   * @throws InvalidInputException if a log key has no validity start or cannot be read
   */
  static TrustedMaterial of(SigstoreTrustedRoot root, String description) {
    List<TrustedLog> tlogs = new ArrayList<>();
    for (TransparencyLog log : root.getTLogs()) {
      requireValidityStart(log, "transparency log", description);
      ValidFor validFor = log.getPublicKey().getValidFor();
      try {
        tlogs.add(
            new TrustedLog(
                log.getBaseUrl(),
                log.getLogId().getKeyId(),
                log.getPublicKey().toJavaPublicKey(),
                log.getPublicKey().getKeyDetails(),
                validFor.getStart(),
                validFor.getEnd()));
      } catch (Exception e) {
        throw new InvalidInputException(
            description + ": the key of transparency log " + log.getBaseUrl() + " is unusable", e);
      }
    }
    for (TransparencyLog log : root.getCTLogs()) {
      requireValidityStart(log, "certificate transparency log", description);
    }
    for (CertificateAuthority tsa : root.getTSAs()) {
      // The signing certificate alone cannot be checked against anything (sigstore-python and
      // sigstore-java both need the chain up to a CA).
      if (tsa.getCertPath().getCertificates().size() < 2) {
        throw new InvalidInputException(
            description
                + ": timestamp authority "
                + SignedTimestamps.describe(tsa)
                + " lists only its signing certificate; give the chain up to its CA");
      }
    }
    return new TrustedMaterial(description, root, List.copyOf(tlogs));
  }

  /**
   * sigstore-java reads a missing {@code validFor.start} as the epoch, which would make the key
   * vouch for entries of any date; such a root is refused instead.
   */
  private static void requireValidityStart(TransparencyLog log, String kind, String description) {
    ValidFor validFor = log.getPublicKey().getValidFor();
    if (validFor == null
        || validFor.getStart() == null
        || validFor.getStart().equals(Instant.EPOCH)) {
      throw new InvalidInputException(
          description
              + ": the key of "
              + kind
              + " "
              + log.getBaseUrl()
              + " has no validity start (publicKey.validFor.start); a log key must say from when"
              + " it may vouch for entries");
    }
  }

  String description() {
    return description;
  }

  SigstoreTrustedRoot sigstoreRoot() {
    return root;
  }

  Optional<TrustedLog> tlog(byte[] logId) {
    return tlogs.stream().filter(log -> log.logIdEquals(logId)).findFirst();
  }

  List<CertificateAuthority> timestampAuthorities() {
    return root.getTSAs();
  }

  /** The CAs whose issuing certificate signed {@code leaf}. */
  List<CertificateAuthority> issuersOf(X509Certificate leaf) {
    List<CertificateAuthority> issuers = new ArrayList<>();
    for (CertificateAuthority ca : root.getCAs()) {
      var chain = ca.getCertPath().getCertificates();
      if (chain.isEmpty()) {
        continue;
      }
      X509Certificate issuer = (X509Certificate) chain.get(0);
      if (!issuer.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        continue;
      }
      try {
        leaf.verify(issuer.getPublicKey());
        issuers.add(ca);
      } catch (Exception e) {
        // same name, another key: not this CA
      }
    }
    return issuers;
  }
}
