package dev.modelsigning.beam.io;

import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelSnapshot;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.model.ListedEntry;
import dev.modelsigning.core.model.LocalModelLister;
import dev.modelsigning.core.model.ModelFile;
import dev.modelsigning.core.verify.ModelSelection;
import dev.modelsigning.core.verify.VerifiedModelListing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Lists a model's files through the core rules. Local disks are walked with {@link
 * LocalModelLister} (to see symlinks, FIFOs and devices); object stores are listed through Beam
 * {@link FileSystems}, where every object is a regular file; on {@code gs://} each object's
 * generation is added from one Storage listing ({@link GcsGenerations}).
 */
public final class ModelLister {
  private ModelLister() {}

  public static ModelSnapshot snapshot(ModelRequest request) {
    ModelLocation loc = request.location();
    List<ListedFile> files = new ArrayList<>();
    ModelSelection selection;
    if (loc.local()) {
      Path root = loc.localPath();
      selection = selectLocal(root, request);
      for (ModelFile f : selection.files()) {
        if (!request.verifying() && isSignatureTempFile(request, f.path())) {
          continue; // another signer publishing right now; never part of a model
        }
        files.add(new ListedFile(f.path(), f.size(), localMtime(root, f.path()), 0));
      }
    } else {
      List<ListedEntry> entries = new ArrayList<>();
      List<Long> mtimes = new ArrayList<>();
      listObjects(loc, entries, mtimes);
      selection = select(request, entries);
      files.addAll(objectFiles(loc, selection.files(), entries, mtimes));
    }
    return new ModelSnapshot(request, files, selection.unsignedFiles(), null);
  }

  /**
   * Signing takes what the listing rules select. Verification follows the signature's plan: with
   * unsigned files tolerated, files no signed resource names are set aside before the listing rules
   * run, so they are never opened or hashed (a FIFO or a 100 GB file nobody signed costs nothing).
   */
  private static ModelSelection select(ModelRequest request, List<ListedEntry> entries) {
    return request.verifying()
        ? request.verificationPlan().select(entries)
        : new ModelSelection(request.listingPolicy().select(entries), List.of());
  }

  private static ModelSelection selectLocal(Path root, ModelRequest request) {
    return request.verifying()
        ? VerifiedModelListing.select(root, request.verificationPlan())
        : select(request, LocalModelLister.list(root));
  }

  /**
   * The selected objects of a Beam listing, with Beam's size and modification time and, on {@code
   * gs://}, the generation that workers will read ({@link GcsGenerations}).
   */
  static List<ListedFile> objectFiles(
      ModelLocation loc, List<ModelFile> selected, List<ListedEntry> entries, List<Long> mtimes) {
    Map<String, Long> mtimeByPath = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      mtimeByPath.put(entries.get(i).path(), mtimes.get(i));
    }
    Map<String, Long> generations =
        loc.root().startsWith("gs://") ? GcsGenerations.of(loc.root(), entries) : Map.of();
    List<ListedFile> files = new ArrayList<>();
    for (ModelFile f : selected) {
      files.add(
          new ListedFile(
              f.path(),
              f.size(),
              Objects.requireNonNull(mtimeByPath.get(f.path()), "a selected file was listed"),
              generations.getOrDefault(f.path(), 0L)));
    }
    return files;
  }

  /**
   * A concurrent signer's temporary signature file comes and goes while we list. Signing skips it
   * (it is never model content); verification does not, so a leftover one fails closed as an
   * unsigned extra file.
   */
  private static boolean isSignatureTempFile(ModelRequest request, String path) {
    for (String ignored : request.ignorePaths()) {
      if (SignatureStore.isTempFileOf(ignored, path)) {
        return true;
      }
    }
    return false;
  }

  private static long localMtime(Path root, String relative) {
    Path file = relative.equals(".") ? root : root.resolve(relative);
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new InvalidInputException("cannot stat '" + relative + "': " + e.getMessage(), e);
    }
  }

  private static void listObjects(ModelLocation loc, List<ListedEntry> out, List<Long> mtimes) {
    try {
      MatchResult single = FileSystems.match(loc.root(), EmptyMatchTreatment.ALLOW);
      if (single.status() == MatchResult.Status.OK && !single.metadata().isEmpty()) {
        MatchResult.Metadata m = single.metadata().get(0);
        if (!m.resourceId().isDirectory() && m.resourceId().toString().equals(loc.root())) {
          out.add(ListedEntry.file(".", m.sizeBytes()));
          mtimes.add(m.lastModifiedMillis());
          return;
        }
      }
      MatchResult all = FileSystems.match(loc.root() + "/**", EmptyMatchTreatment.ALLOW);
      if (all.status() != MatchResult.Status.OK && all.status() != MatchResult.Status.NOT_FOUND) {
        throw new ModelSigningException(
            "listing model '" + loc.root() + "' failed: " + all.status());
      }
      String prefix = loc.root() + "/";
      for (MatchResult.Metadata m :
          all.status() == MatchResult.Status.OK
              ? all.metadata()
              : List.<MatchResult.Metadata>of()) {
        String name = m.resourceId().toString();
        if (!name.startsWith(prefix) || name.endsWith("/")) {
          continue; // directory placeholder objects are not model files
        }
        out.add(ListedEntry.file(name.substring(prefix.length()), m.sizeBytes()));
        mtimes.add(m.lastModifiedMillis());
      }
    } catch (IOException e) {
      throw new ModelSigningException(
          "listing model '" + loc.root() + "' failed: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new InvalidInputException(
          "model path '" + loc.root() + "' does not exist or holds no files");
    }
  }
}
