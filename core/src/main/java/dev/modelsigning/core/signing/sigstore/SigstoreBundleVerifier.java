package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.format.SigstoreBundle;
import dev.modelsigning.core.format.VerificationMaterial;
import dev.modelsigning.core.signing.Certificates;
import dev.modelsigning.core.signing.EcSignatureScheme;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.bundle.ImmutableBundle;
import dev.sigstore.fulcio.client.FulcioVerifier;
import dev.sigstore.trustroot.CertificateAuthority;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a keyless (Fulcio certificate + transparency log entry) Sigstore bundle offline against
 * a {@link KeylessIdentityPolicy} and returns the signed DSSE payload byte for byte.
 *
 * <p>Checked here, for every entry kind (Rekor v1 {@code dsse} 0.0.1 and {@code intoto} 0.0.2,
 * Rekor v2 {@code dsse} 0.0.2 and {@code hashedrekord} 0.0.2): the certificate's issuer is a CA in
 * the trust root; the identity policy; the signing time, from RFC 3161 timestamps of listed
 * authorities and, for Rekor v1, the log's integration time under its inclusion promise (Rekor v2
 * has no integration time, so it needs a timestamp); every such time is not in the future and lies
 * inside the windows of the log key, the CA, each timestamp authority and the signing certificate;
 * the DSSE signature; the log entry body rebuilt from the bundle; the inclusion proof up to a
 * checkpoint signed by the log's key; the certificate chain and its embedded SCT (sigstore-java's
 * {@code FulcioVerifier}). Rekor v1 {@code dsse} bundles additionally go through sigstore-java's
 * {@code KeylessVerifier}, which verifies them independently.
 *
 * <p>A timestamp signed by an authority the trust root does not list proves nothing. By default it
 * is set aside and reported in {@link KeylessVerificationResult#notes()}: public-good bundles from
 * model_signing carry a timestamp from a TSA that older trust roots do not list, and their Rekor v1
 * entry already proves the time. {@link UnlistedTimestamps#REFUSE} refuses such bundles instead.
 */
public final class SigstoreBundleVerifier {
  /** How far ahead of this machine's clock a log or timestamp time may be (clock drift). */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private static final int MAX_TIMESTAMPS = 32;

  static {
    // sigstore-java's timestamp verifier and BouncyCastle's token validation ask for "BC".
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  /** What to do with an RFC 3161 timestamp from an authority the trust root does not list. */
  public enum UnlistedTimestamps {
    /** Ignore it for verification and report it in the result's notes. */
    SET_ASIDE,
    /** Refuse the bundle. */
    REFUSE
  }

  /** A time the bundle proves, and what proves it (for messages). */
  private record SignedTime(Instant time, String source) {}

  private final KeylessIdentityPolicy policy;
  private final UnlistedTimestamps unlistedTimestamps;
  private final Clock clock;
  private @Nullable KeylessVerifier sigstoreJava;

  public SigstoreBundleVerifier(KeylessIdentityPolicy policy) {
    this(policy, UnlistedTimestamps.SET_ASIDE);
  }

  public SigstoreBundleVerifier(KeylessIdentityPolicy policy, UnlistedTimestamps unlisted) {
    this(policy, unlisted, Clock.systemUTC());
  }

  SigstoreBundleVerifier(KeylessIdentityPolicy policy, UnlistedTimestamps unlisted, Clock clock) {
    this.policy = policy;
    this.unlistedTimestamps = unlisted;
    this.clock = clock;
  }

  public KeylessIdentityPolicy policy() {
    return policy;
  }

  /**
   * Verifies {@code bundleJson} and returns the DSSE payload bytes exactly as signed.
   *
   * @throws VerificationException if anything does not verify
   */
  public byte[] verify(byte[] bundleJson) {
    return verify(BundleReader.read(bundleJson)).statement();
  }

  /**
   * Verifies a parsed bundle.
   *
   * @throws VerificationException naming the check that failed
   */
  public KeylessVerificationResult verify(SigstoreBundle bundle) {
    X509Certificate leaf = leafOf(bundle.material());
    DsseEnvelope envelope = bundle.envelope();
    TrustedMaterial trust = policy.trustRoot().material();

    List<CertificateAuthority> issuers = trust.issuersOf(leaf);
    if (issuers.isEmpty()) {
      throw new VerificationException(
          "signing certificate does not chain to "
              + trust.description()
              + ": no certificate authority there issued it (issuer "
              + leaf.getIssuerX500Principal()
              + ")");
    }
    FulcioIdentity identity = requireIdentity(leaf);

    BundleLogEntry entry = singleEntry(bundle.tlogEntries());
    TrustedLog log =
        trust
            .tlog(entry.logId())
            .orElseThrow(
                () ->
                    new VerificationException(
                        "transparency log entry comes from log id "
                            + Base64.getEncoder().encodeToString(entry.logId())
                            + ", which "
                            + trust.description()
                            + " does not list"));

    List<String> notes = new ArrayList<>();
    List<SignedTime> times = signedTimes(bundle, entry, log, trust, notes);
    for (SignedTime time : times) {
      requireTimely(time, log, issuers, leaf);
    }

    requireSignature(envelope, leaf);
    EntryBodies.requireMatches(entry, envelope, leaf);
    LogEntryProofs.requireIncluded(entry, log);
    requireFulcioChain(trust, leaf);
    if ("dsse/0.0.1".equals(entry.kindVersion())) {
      secondOpinion(bundle, trust, envelope);
    }
    return new KeylessVerificationResult(
        envelope.payload(),
        matchingName(identity),
        Objects.requireNonNull(identity.issuer(), "the policy matched the issuer"),
        entry.kindVersion(),
        notes,
        times.get(0).time(),
        verifiedLogIndex(entry));
  }

  /**
   * The entry's log index when a checked proof covers it: Rekor v2's inclusion proof (which must
   * repeat it), or Rekor v1's inclusion promise (which signs it). A Rekor v1 inclusion proof
   * indexes the entry within its shard only, so without a promise the global index is unproven:
   * null.
   */
  private static @Nullable Long verifiedLogIndex(BundleLogEntry entry) {
    return entry.isRekorV2() || entry.signedEntryTimestamp().isPresent() ? entry.logIndex() : null;
  }

  private static X509Certificate leafOf(VerificationMaterial material) {
    byte[] der;
    if (material instanceof VerificationMaterial.Certificate c) {
      der = c.certificate();
    } else if (material instanceof VerificationMaterial.CertificateChain chain) {
      der = chain.certificates().get(0);
    } else {
      throw new VerificationException(
          "bundle carries a public key, not a Sigstore signing certificate: it was not signed"
              + " keyless");
    }
    try {
      return Certificates.fromDer(der);
    } catch (CertificateException | RuntimeException e) {
      throw new VerificationException("bundle signing certificate is unreadable", e);
    }
  }

  private FulcioIdentity requireIdentity(X509Certificate leaf) {
    FulcioIdentity identity = FulcioIdentity.of(leaf);
    boolean nameMatches = identity.names().stream().anyMatch(policy.identity()::matches);
    if (!nameMatches || !policy.issuer().matches(identity.issuer())) {
      throw new VerificationException(
          "signer identity does not match: expected identity "
              + policy.identity()
              + " from issuer "
              + policy.issuer()
              + ", but the certificate names "
              + identity.describe());
    }
    return identity;
  }

  private String matchingName(FulcioIdentity identity) {
    return identity.names().stream().filter(policy.identity()::matches).findFirst().orElseThrow();
  }

  private static BundleLogEntry singleEntry(JsonNode entries) {
    if (entries == null || entries.size() != 1) {
      throw new VerificationException(
          "keyless bundle must hold exactly one transparency log entry, found "
              + (entries == null ? 0 : entries.size()));
    }
    return BundleLogEntry.parse(entries.get(0));
  }

  /**
   * Every time the bundle proves: listed timestamps, and Rekor v1's integrated time when its
   * inclusion promise verifies. Rekor v2 entries have no time of their own.
   */
  private List<SignedTime> signedTimes(
      SigstoreBundle bundle,
      BundleLogEntry entry,
      TrustedLog log,
      TrustedMaterial trust,
      List<String> notes) {
    List<byte[]> stamps = rfc3161Timestamps(bundle);
    SignedTimestamps.Sorted sorted =
        SignedTimestamps.sort(stamps, bundle.envelope().signature(), trust.timestampAuthorities());
    for (SignedTimestamps.Unlisted unlisted : sorted.unlisted()) {
      String text =
          "RFC 3161 timestamp #"
              + unlisted.index()
              + " is signed by a timestamp authority that "
              + trust.description()
              + " does not list ("
              + unlisted.authority()
              + ")";
      if (unlistedTimestamps == UnlistedTimestamps.REFUSE) {
        throw new VerificationException(text);
      }
      notes.add(text + "; it was set aside and proves nothing");
    }
    List<SignedTime> times = new ArrayList<>();
    if (!entry.isRekorV2() && entry.signedEntryTimestamp().isPresent()) {
      LogEntryProofs.requirePromise(entry, log, entry.signedEntryTimestamp().get());
      times.add(
          new SignedTime(
              Instant.ofEpochSecond(entry.integratedTime()),
              "the transparency log integrated the entry"));
    }
    for (SignedTimestamps.Trusted stamp : sorted.trusted()) {
      times.add(new SignedTime(stamp.time(), "the RFC 3161 timestamp from " + stamp.authority()));
    }
    if (times.isEmpty()) {
      throw new VerificationException(
          entry.isRekorV2()
              ? "Rekor v2 entry ("
                  + entry.kindVersion()
                  + ") carries no time, and the bundle has no RFC 3161 timestamp from a timestamp"
                  + " authority that "
                  + trust.description()
                  + " lists: nothing proves when it was signed"
              : "bundle proves no signing time: its log entry has no inclusion promise and it has"
                  + " no RFC 3161 timestamp from a listed timestamp authority");
    }
    return times;
  }

  private static List<byte[]> rfc3161Timestamps(SigstoreBundle bundle) {
    JsonNode list =
        Json.parse(bundle.json(), "signature bundle")
            .path("verificationMaterial")
            .path("timestampVerificationData")
            .path("rfc3161Timestamps");
    List<byte[]> stamps = new ArrayList<>();
    if (list.isMissingNode() || list.isNull()) {
      return stamps;
    }
    if (!list.isArray() || list.size() > MAX_TIMESTAMPS) {
      throw new VerificationException(
          "bundle rfc3161Timestamps must be an array of at most " + MAX_TIMESTAMPS + " entries");
    }
    for (JsonNode stamp : list) {
      JsonNode value = stamp.path("signedTimestamp");
      try {
        stamps.add(Base64.getDecoder().decode(value.asText("")));
      } catch (IllegalArgumentException e) {
        throw new VerificationException("bundle rfc3161Timestamps holds invalid base64", e);
      }
    }
    return stamps;
  }

  /** The time must not be in the future and must fall in every window that vouches for it. */
  private void requireTimely(
      SignedTime time, TrustedLog log, List<CertificateAuthority> issuers, X509Certificate leaf) {
    Instant now = clock.instant();
    if (time.time().isAfter(now.plus(CLOCK_SKEW))) {
      throw new VerificationException(
          time.source()
              + " at "
              + time.time()
              + ", in the future (this machine's clock: "
              + now
              + ")");
    }
    if (!log.validAt(time.time())) {
      throw new VerificationException(
          time.source()
              + " at "
              + time.time()
              + ", outside the validity of the key of "
              + log.describe()
              + " in the trust root ("
              + log.describeValidity()
              + ")");
    }
    if (issuers.stream().noneMatch(ca -> ca.getValidFor().contains(time.time()))) {
      CertificateAuthority ca = issuers.get(0);
      throw new VerificationException(
          time.source()
              + " at "
              + time.time()
              + ", outside the validity of certificate authority "
              + SignedTimestamps.describe(ca)
              + " in the trust root ("
              + ca.getValidFor().getStart()
              + " to "
              + ca.getValidFor().getEnd().map(Instant::toString).orElse("(no end)")
              + ")");
    }
    try {
      leaf.checkValidity(Date.from(time.time()));
    } catch (java.security.cert.CertificateException e) {
      throw new VerificationException(
          time.source()
              + " at "
              + time.time()
              + ", outside the signing certificate's validity ("
              + leaf.getNotBefore().toInstant()
              + " to "
              + leaf.getNotAfter().toInstant()
              + ")");
    }
  }

  private static void requireSignature(DsseEnvelope envelope, X509Certificate leaf) {
    EcSignatureScheme scheme;
    try {
      scheme = EcSignatureScheme.of(leaf.getPublicKey());
    } catch (InvalidInputException e) {
      throw new VerificationException("signing certificate key: " + e.getMessage(), e);
    }
    if (!scheme.verify(leaf.getPublicKey(), envelope.signedBytes(), envelope.signature())) {
      throw new VerificationException(
          "signature does not verify with the signing certificate's key ("
              + scheme.jcaAlgorithm()
              + " over the DSSE envelope): the payload or signature was altered");
    }
  }

  /** Chain to a trusted CA and the embedded SCT from a trusted CT log, by sigstore-java. */
  private static void requireFulcioChain(TrustedMaterial trust, X509Certificate leaf) {
    try {
      FulcioVerifier.newFulcioVerifier(trust.sigstoreRoot())
          .verifySigningCertificate(Certificates.path(List.of(leaf)));
    } catch (Exception e) {
      throw new VerificationException(
          "signing certificate does not chain to "
              + trust.description()
              + " with a valid SCT: "
              + e.getMessage(),
          e);
    }
  }

  /** sigstore-java re-verifies Rekor v1 dsse bundles on its own, as a second implementation. */
  private void secondOpinion(SigstoreBundle bundle, TrustedMaterial trust, DsseEnvelope envelope) {
    Bundle parsed;
    try {
      parsed = Bundle.from(new StringReader(new String(bundle.json(), StandardCharsets.UTF_8)));
    } catch (BundleParseException | RuntimeException e) {
      throw new VerificationException("not a readable Sigstore bundle: " + e.getMessage(), e);
    }
    // Only timestamps from listed authorities: the others were set aside above.
    List<Bundle.Timestamp> listed = new ArrayList<>();
    for (Bundle.Timestamp timestamp : parsed.getTimestamps()) {
      var sorted =
          SignedTimestamps.sort(
              List.of(timestamp.getRfc3161Timestamp()),
              envelope.signature(),
              trust.timestampAuthorities());
      if (sorted.unlisted().isEmpty()) {
        listed.add(timestamp);
      }
    }
    Bundle checked = ImmutableBundle.builder().from(parsed).timestamps(listed).build();
    try {
      sigstoreJava(trust).verify(subjectSha256(envelope), checked, VerificationOptions.empty());
    } catch (KeylessVerificationException e) {
      StringBuilder text =
          new StringBuilder("bundle does not verify with sigstore-java: ").append(e.getMessage());
      if (!isAscii(envelope.payload())) {
        // sigstore-java 2.0.0 builds the DSSE PAE from character counts, so a correct signature
        // over a non-ASCII payload fails there; model_signing statements are ASCII-escaped.
        text.append(
            " (note: the DSSE payload is not ASCII, which sigstore-java 2.0.0 mis-encodes)");
      }
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause.getMessage() != null) {
          text.append(": ").append(cause.getMessage());
        }
      }
      throw new VerificationException(text.toString(), e);
    } catch (RuntimeException e) {
      throw new VerificationException("bundle could not be verified: " + e.getMessage(), e);
    }
  }

  private synchronized KeylessVerifier sigstoreJava(TrustedMaterial trust) {
    if (sigstoreJava == null) {
      try {
        sigstoreJava = KeylessVerifier.builder().trustedRootProvider(trust::sigstoreRoot).build();
      } catch (Exception e) {
        throw new VerificationException(
            "unusable " + trust.description() + ": " + e.getMessage(), e);
      }
    }
    return sigstoreJava;
  }

  /** The artifact digest sigstore-java matches: the statement's one subject's sha256. */
  private static byte[] subjectSha256(DsseEnvelope envelope) {
    JsonNode subjects = Json.parse(envelope.payload(), "DSSE payload").path("subject");
    if (!subjects.isArray() || subjects.size() != 1) {
      throw new VerificationException(
          "DSSE payload must have exactly one subject, found "
              + (subjects.isArray() ? subjects.size() : 0));
    }
    String hex = subjects.get(0).path("digest").path("sha256").asText("");
    try {
      byte[] digest = java.util.HexFormat.of().parseHex(hex);
      if (digest.length == 32) {
        return digest;
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw new VerificationException("DSSE payload subject has no valid sha256 digest");
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }
}
