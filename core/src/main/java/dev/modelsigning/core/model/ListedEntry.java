package dev.modelsigning.core.model;

/**
 * A storage-neutral listing entry below a model root, before the ignore and symlink rules run.
 * Object stores only ever list {@link Kind#FILE}s; local disks list every kind.
 *
 * @param path POSIX path relative to the model root ({@code "."} for a single-file model)
 * @param kind what the entry is
 * @param size size in bytes (0 for anything but files)
 */
public record ListedEntry(String path, Kind kind, long size) {
  /** What a listed path is. A symlink is reported as such, not as its target. */
  public enum Kind {
    FILE,
    /** A symlink that resolves to a regular file. */
    SYMLINK_TO_FILE,
    /** A symlink that resolves to a directory; never descended. */
    SYMLINK_TO_DIRECTORY,
    /** A symlink that resolves to nothing, or to something that is neither file nor directory. */
    SYMLINK_OTHER,
    /** A FIFO, socket, device node or anything else that is not a file or directory. */
    OTHER,
    /**
     * Anything whose name (or a parent directory's) is not valid UTF-8, so no manifest can name it;
     * its path is shown with the invalid bytes as {@code \xNN}, and can never equal a resource
     * name.
     */
    NAME_NOT_UTF8
  }

  public static ListedEntry file(String path, long size) {
    return new ListedEntry(path, Kind.FILE, size);
  }
}
