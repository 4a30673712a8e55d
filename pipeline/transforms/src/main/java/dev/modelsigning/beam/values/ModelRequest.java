package dev.modelsigning.beam.values;

import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.verify.UnsignedFiles;
import dev.modelsigning.core.verify.VerificationPlan;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One model to hash: where it is, how to serialize it, which paths to leave out, and where its
 * signature goes (signing) or what it must match (verification).
 *
 * @param location the model root
 * @param settings serialization recorded in (or read from) the statement
 * @param ignorePaths every ignored path, relative to the root
 * @param signature where the model's signature is or goes; null when hashing only
 * @param expected what verification compares with; null when signing or digesting
 */
public record ModelRequest(
    ModelLocation location,
    SerializationSettings settings,
    List<String> ignorePaths,
    @Nullable String signature,
    @Nullable Expectation expected)
    implements Serializable {

  /**
   * What verification compares the recomputed manifest with.
   *
   * @param manifest the signed manifest
   * @param signer who signed it, for reports
   * @param unsignedFiles whether model files the signature does not list fail verification
   * @param notes what the signature check reported (legacy format, timestamps set aside)
   * @param signedAt the signing time the signature check verified, or null (key and certificate
   *     bundles prove none)
   * @param logIndex the transparency log index the signature check verified, or null
   * @param id the registry's identifier for the model (model list {@code "id"}), for reports; or
   *     null
   * @param policy the name of the registry policy rule that was applied, for reports; or null
   */
  public record Expectation(
      Manifest manifest,
      String signer,
      UnsignedFiles unsignedFiles,
      List<String> notes,
      @Nullable Instant signedAt,
      @Nullable Long logIndex,
      @Nullable String id,
      @Nullable String policy)
      implements Serializable {
    public Expectation {
      notes = List.copyOf(notes);
    }

    /** What to compare with, without signing time, log index or registry labels. */
    public Expectation(
        Manifest manifest, String signer, UnsignedFiles unsignedFiles, List<String> notes) {
      this(manifest, signer, unsignedFiles, notes, null, null, null, null);
    }

    /** The same, labelled with the registry's id for the model and the policy rule applied. */
    public Expectation labelled(@Nullable String modelId, @Nullable String policyName) {
      return new Expectation(
          manifest, signer, unsignedFiles, notes, signedAt, logIndex, modelId, policyName);
    }
  }

  /** The same request, its expectation labelled for a registry report. */
  public ModelRequest labelled(@Nullable String modelId, @Nullable String policyName) {
    Expectation labelled =
        Objects.requireNonNull(expected, "a verifying request has an expectation")
            .labelled(modelId, policyName);
    return new ModelRequest(location, settings, ignorePaths, signature, labelled);
  }

  /** A model to sign (its signature goes to {@code signature}) or to digest (null). */
  public static ModelRequest toSign(
      ModelLocation location,
      SerializationSettings settings,
      List<String> ignorePaths,
      @Nullable String signature) {
    return new ModelRequest(location, settings, ignorePaths, signature, null);
  }

  public ModelRequest {
    ignorePaths = List.copyOf(ignorePaths);
  }

  /** Unique per distinct request (the join key of its digests), readable in logs. */
  public String joinKey() {
    return location.root()
        + " ["
        + settings.method()
        + ","
        + settings.hashAlgorithm().label()
        + ","
        + settings.shardSize()
        + ","
        + settings.allowSymlinks()
        + ","
        + ignorePaths
        + ","
        + signature
        + ","
        + (expected == null ? "" : expected.manifest().subjectDigestHex())
        + "]";
  }

  public boolean verifying() {
    return expected != null;
  }

  /**
   * How a verifying request selects the files to hash: the signed paths decide which files are
   * unsigned, and whether those fail or are set aside unopened.
   */
  public VerificationPlan verificationPlan() {
    Expectation expectation =
        Objects.requireNonNull(expected, "a verifying request has an expectation");
    return new VerificationPlan(
        settings,
        listingPolicy(),
        expectation.unsignedFiles(),
        VerificationPlan.signedPaths(expectation.manifest()));
  }

  public ListingPolicy listingPolicy() {
    return new ListingPolicy(IgnorePaths.exactly(ignorePaths), settings.allowSymlinks());
  }
}
