package dev.modelsigning.core.model;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists a model on local disk: the root, recursively, dotfiles included, without following symlinks
 * into directories. The result feeds {@link ListingPolicy}.
 */
public final class LocalModelLister {
  private LocalModelLister() {}

  /** The raw entries of the model at {@code root} (a directory, or a single file named "."). */
  public static List<ListedEntry> list(Path modelPath) {
    if (!Files.exists(modelPath)) {
      throw new InvalidInputException("model path '" + modelPath + "' does not exist");
    }
    Path root = realRoot(modelPath);
    if (Files.isRegularFile(root)) {
      return List.of(ListedEntry.file(".", size(root)));
    }
    if (!Files.isDirectory(root)) {
      throw new InvalidInputException(
          "model path '" + root + "' is neither a regular file nor a directory");
    }
    List<ListedEntry> out = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              out.add(entry(root, file, attrs));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (e instanceof NoSuchFileException) {
                // Deleted between readdir and stat: it is not part of the model now. Signing
                // lists again before it signs, so a file that vanishes mid-job is still caught.
                return FileVisitResult.CONTINUE;
              }
              throw new InvalidInputException(
                  "cannot read '" + relative(root, file) + "' in the model: " + e.getMessage(), e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("listing model '" + root + "' failed", e);
    }
    return out;
  }

  /** The model path itself may be a symlink: the walk starts at what it points to. */
  private static Path realRoot(Path modelPath) {
    if (!Files.isSymbolicLink(modelPath)) {
      return modelPath;
    }
    try {
      return modelPath.toRealPath();
    } catch (IOException e) {
      throw new InvalidInputException("cannot resolve model path '" + modelPath + "'", e);
    }
  }

  private static ListedEntry entry(Path root, Path file, BasicFileAttributes attrs) {
    String rel = relative(root, file);
    if (!LocalFileNames.isLossless(root, file, rel)) {
      return new ListedEntry(
          LocalFileNames.escaped(root, file), ListedEntry.Kind.NAME_NOT_UTF8, attrs.size());
    }
    if (attrs.isRegularFile()) {
      return ListedEntry.file(rel, attrs.size());
    }
    if (attrs.isSymbolicLink()) {
      if (Files.isRegularFile(file)) {
        return new ListedEntry(rel, ListedEntry.Kind.SYMLINK_TO_FILE, size(file));
      }
      if (Files.isDirectory(file)) {
        return new ListedEntry(rel, ListedEntry.Kind.SYMLINK_TO_DIRECTORY, 0);
      }
      return new ListedEntry(rel, ListedEntry.Kind.SYMLINK_OTHER, 0);
    }
    return new ListedEntry(rel, ListedEntry.Kind.OTHER, 0);
  }

  private static String relative(Path root, Path file) {
    StringBuilder sb = new StringBuilder();
    for (Path part : root.relativize(file)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part.toString());
    }
    return sb.toString();
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("'" + file + "' disappeared while listing the model", e);
    } catch (IOException e) {
      throw new ModelSigningException("cannot stat '" + file + "': " + e.getMessage(), e);
    }
  }

  /** The subject name model_signing uses: the last component of the model path. */
  public static String modelName(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    Path name = abs.getFileName();
    return name == null ? abs.toString() : name.toString();
  }
}
