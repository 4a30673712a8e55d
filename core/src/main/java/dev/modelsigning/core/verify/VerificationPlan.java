package dev.modelsigning.core.verify;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.ShardName;
import dev.modelsigning.core.format.SignedStatement;
import dev.modelsigning.core.manifest.HashingMethod;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.ResourceDigest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListedEntry;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.model.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * How to recompute a model's manifest so it can be compared with a signed one: the signer's
 * recorded serialization, and its recorded ignore paths (or, for signers before model_signing v1.1
 * that recorded none, the defaults), plus whatever the verifying user adds; and what to do with
 * files the signature does not list.
 *
 * @param settings the signer's serialization
 * @param listingPolicy ignore paths and symlink rule for listing the model
 * @param unsignedFiles whether unsigned files fail or are set aside
 * @param signedPaths the file paths the signed resources name (shard suffixes removed)
 */
public record VerificationPlan(
    SerializationSettings settings,
    ListingPolicy listingPolicy,
    UnsignedFiles unsignedFiles,
    Set<String> signedPaths) {

  public VerificationPlan {
    signedPaths = Set.copyOf(signedPaths);
  }

  /**
   * @param signatureInModel the signature's path relative to the model root, or null
   * @param userIgnorePaths extra paths to ignore, relative to the model root
   */
  public static VerificationPlan of(
      SignedStatement signed,
      @Nullable String signatureInModel,
      Collection<String> userIgnorePaths) {
    return of(signed, signatureInModel, userIgnorePaths, UnsignedFiles.REFUSE);
  }

  /**
   * @param signatureInModel the signature's path relative to the model root, or null
   * @param userIgnorePaths extra paths to ignore, relative to the model root
   * @param unsignedFiles what to do with files no signed resource names
   */
  public static VerificationPlan of(
      SignedStatement signed,
      @Nullable String signatureInModel,
      Collection<String> userIgnorePaths,
      UnsignedFiles unsignedFiles) {
    SerializationSettings s = signed.manifest().settings();
    IgnorePaths ignore;
    if (s.ignorePaths() == null) {
      ignore = IgnorePaths.of(signatureInModel, userIgnorePaths);
    } else {
      List<String> all = new ArrayList<>(s.ignorePaths());
      all.addAll(userIgnorePaths);
      if (signatureInModel != null) {
        all.add(signatureInModel);
      }
      try {
        ignore = IgnorePaths.exactly(all);
      } catch (InvalidInputException e) {
        // A path like ../x in a signed statement is the bundle's fault, not the user's.
        throw new VerificationException("signed statement: " + e.getMessage(), e);
      }
    }
    return new VerificationPlan(
        s,
        new ListingPolicy(ignore, s.allowSymlinks()),
        unsignedFiles,
        signedPaths(signed.manifest()));
  }

  /** The file paths a manifest's resources name: shard names lose their {@code :start:end}. */
  public static Set<String> signedPaths(Manifest m) {
    Set<String> paths = new HashSet<>();
    for (ResourceDigest r : m.resources()) {
      paths.add(pathOf(r.name(), m.settings().method()));
    }
    return paths;
  }

  static String pathOf(String resourceName, HashingMethod method) {
    return method == HashingMethod.SHARDS ? ShardName.parse(resourceName).path() : resourceName;
  }

  /**
   * The files to re-hash from a raw listing. With {@link UnsignedFiles#IGNORE}, entries that are
   * neither ignored nor named by a signed resource are set aside before the symlink and
   * special-file rules run, so they are never opened (a FIFO nobody signed cannot block the
   * verifier); a single-file model's {@code "."} is always kept.
   *
   * @throws InvalidInputException when a kept entry breaks the listing rules (a symlink, FIFO or
   *     device, a name that is not UTF-8)
   */
  public ModelSelection select(Iterable<ListedEntry> entries) {
    if (unsignedFiles == UnsignedFiles.REFUSE) {
      return new ModelSelection(listingPolicy.select(entries), List.of());
    }
    List<ListedEntry> kept = new ArrayList<>();
    Set<String> unsigned = new TreeSet<>(ResourceNames.PATH_ORDER);
    for (ListedEntry e : entries) {
      if (isSigned(e) || droppedByTheListingRules(e)) {
        kept.add(e);
      } else {
        unsigned.add(e.path());
      }
    }
    return new ModelSelection(listingPolicy.select(kept), new ArrayList<>(unsigned));
  }

  private boolean isSigned(ListedEntry e) {
    // A name that is not UTF-8 is shown escaped; no signed name can equal it, even textually.
    return e.path().equals(".")
        || (e.kind() != ListedEntry.Kind.NAME_NOT_UTF8 && signedPaths.contains(e.path()));
  }

  /** Entries the listing drops silently in either mode: they are not content, signed or not. */
  private boolean droppedByTheListingRules(ListedEntry e) {
    return listingPolicy.ignorePaths().ignores(e.path())
        || (e.kind() == ListedEntry.Kind.SYMLINK_TO_DIRECTORY && listingPolicy.allowSymlinks());
  }
}
