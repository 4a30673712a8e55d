package dev.modelsigning.beam.io;

import dev.modelsigning.beam.values.FoundModel;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Finds the models of a registry: every directory holding a signature file is a signed model; with
 * a marker glob, directories holding a marker file but under no signed model are unsigned models.
 */
public final class RegistryScanner {
  private RegistryScanner() {}

  public static List<FoundModel> scan(String registry, String signatureName, String markerGlob) {
    ModelLocation root = ModelLocation.of(registry);
    List<String> files = listAll(root);
    String sigSuffix = "/" + signatureName;
    Set<String> signed = new TreeSet<>();
    for (String f : files) {
      if (f.endsWith(sigSuffix)) {
        signed.add(f.substring(0, f.length() - sigSuffix.length()));
      }
    }
    List<FoundModel> out = new ArrayList<>();
    for (String s : signed) {
      out.add(new FoundModel(s, s + sigSuffix));
    }
    if (markerGlob != null) {
      PathMatcher marker = FileSystems.getDefault().getPathMatcher("glob:" + markerGlob);
      Set<String> unsigned = new TreeSet<>();
      for (String f : files) {
        int slash = f.lastIndexOf('/');
        String dir = f.substring(0, slash);
        if (marker.matches(Path.of(f.substring(slash + 1))) && !insideAny(dir, signed)) {
          unsigned.add(dir);
        }
      }
      unsigned.forEach(d -> out.add(new FoundModel(d, null)));
    }
    return out;
  }

  /** Model lists are small text files, read whole at launch. */
  static final int MAX_LIST_BYTES = 64 << 20;

  /**
   * Models named one per line in a list file (local, gs://, s3://), read now, at launch; blank
   * lines and # comments are skipped.
   */
  public static List<FoundModel> fromList(String listFile, String signatureName) {
    String text =
        new String(
            MaterialFiles.read("--modelList", listFile, MAX_LIST_BYTES), StandardCharsets.UTF_8);
    List<FoundModel> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.trim();
      if (!l.isEmpty() && !l.startsWith("#")) {
        ModelLocation m = ModelLocation.of(l);
        out.add(new FoundModel(m.root(), m.child(signatureName)));
      }
    }
    return out;
  }

  private static boolean insideAny(String dir, Set<String> roots) {
    for (String r : roots) {
      if (dir.equals(r) || dir.startsWith(r + "/")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> listAll(ModelLocation root) {
    if (root.local()) {
      if (!Files.isDirectory(root.localPath())) {
        throw new InvalidInputException("registry '" + root.root() + "' is not a directory");
      }
      try (Stream<Path> walk = Files.walk(root.localPath())) {
        return walk.filter(Files::isRegularFile).map(Path::toString).toList();
      } catch (IOException e) {
        throw new ModelSigningException("cannot list registry '" + root.root() + "': " + e, e);
      }
    }
    try {
      MatchResult all =
          org.apache.beam.sdk.io.FileSystems.match(root.root() + "/**", EmptyMatchTreatment.ALLOW);
      List<String> out = new ArrayList<>();
      if (all.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : all.metadata()) {
          out.add(m.resourceId().toString());
        }
      }
      return out;
    } catch (IOException e) {
      throw new ModelSigningException("cannot list registry '" + root.root() + "': " + e, e);
    }
  }
}
