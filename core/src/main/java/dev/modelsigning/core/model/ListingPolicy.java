package dev.modelsigning.core.model;

import dev.modelsigning.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a raw listing into the files that make up a model: drops ignored paths first, then rejects
 * symlinks unless allowed, then rejects anything that is not a regular file. Same for local disks
 * and object stores.
 */
public final class ListingPolicy {
  private final IgnorePaths ignorePaths;
  private final boolean allowSymlinks;

  public ListingPolicy(IgnorePaths ignorePaths, boolean allowSymlinks) {
    this.ignorePaths = ignorePaths;
    this.allowSymlinks = allowSymlinks;
  }

  public IgnorePaths ignorePaths() {
    return ignorePaths;
  }

  public boolean allowSymlinks() {
    return allowSymlinks;
  }

  /** The model's files, sorted in resource order. */
  public List<ModelFile> select(Iterable<ListedEntry> entries) {
    List<ModelFile> files = new ArrayList<>();
    for (ListedEntry e : entries) {
      if (!e.path().equals(".") && ignorePaths.ignores(e.path())) {
        continue;
      }
      switch (e.kind()) {
        case FILE -> files.add(new ModelFile(e.path(), e.size()));
        case SYMLINK_TO_FILE -> {
          requireSymlinksAllowed(e);
          files.add(new ModelFile(e.path(), e.size()));
        }
        case SYMLINK_TO_DIRECTORY -> requireSymlinksAllowed(e); // allowed: not descended
        case SYMLINK_OTHER -> {
          requireSymlinksAllowed(e);
          throw new InvalidInputException(
              "'" + e.path() + "' is a symlink to something that is not a regular file");
        }
        case OTHER ->
            throw new InvalidInputException(
                "'" + e.path() + "' is not a regular file or directory (FIFO, socket or device?)");
        case NAME_NOT_UTF8 ->
            throw new InvalidInputException(
                "'"
                    + e.path()
                    + "' cannot be part of a signed model: its name is not valid UTF-8 (invalid"
                    + " bytes shown as \\xNN), and OMS v1.0 requires UTF-8 resource names because"
                    + " a signature's JSON cannot record other bytes; rename it, or ignore the"
                    + " directory that holds it");
      }
    }
    files.sort((a, b) -> ResourceNames.comparePaths(a.path(), b.path()));
    return files;
  }

  private void requireSymlinksAllowed(ListedEntry e) {
    if (!allowSymlinks) {
      throw new InvalidInputException(
          "'" + e.path() + "' is a symlink; symlinks are refused unless allow-symlinks is set");
    }
  }
}
