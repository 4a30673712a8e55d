package dev.modelsigning.beam.io;

import com.google.cloud.storage.Blob;
import dev.modelsigning.beam.values.ListedFile;
import dev.modelsigning.beam.values.RunTask;
import dev.modelsigning.beam.values.UnitTask;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.hashing.RangeHasher;
import dev.modelsigning.core.manifest.WorkUnit;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.jspecify.annotations.Nullable;

/**
 * Hashes one unit with a ranged streaming read (one ranged GET on object stores) and checks that
 * the file still has the size and modification time it was listed with, before and after. On {@code
 * gs://} the read is pinned to the listed object generation ({@link GcsObjectReader}), and the
 * checks compare the generation too.
 */
public final class UnitHasher {
  /** Opens a unit's file positioned at the unit's start; replaceable to inject faults in tests. */
  @FunctionalInterface
  interface Opener {
    ReadableByteChannel open(UnitTask task) throws IOException;
  }

  private final RangeHasher hasher;
  private final Opener opener;
  private final RetryingReads retries;

  public UnitHasher(int bufferSize) {
    this(bufferSize, UnitHasher::open, RetryingReads.DEFAULT);
  }

  UnitHasher(int bufferSize, Opener opener, RetryingReads retries) {
    this.hasher = new RangeHasher(bufferSize);
    this.opener = opener;
    this.retries = retries;
  }

  /** Hashes one unit. */
  public byte[] hash(UnitTask task) throws IOException {
    return hashRun(RunTask.of(task), null).get(0);
  }

  /**
   * Hashes a run of consecutive units of one file with one ranged read, checking the file against
   * its listing before and after.
   *
   * @param progress told how many bytes were just hashed, or null
   */
  public List<byte[]> hashRun(RunTask run, @Nullable LongConsumer progress) throws IOException {
    // The whole run, opened as one range: one open, one ranged GET, however many units.
    UnitTask range =
        new UnitTask(
            run.location(),
            run.algorithm(),
            new WorkUnit(run.run().path(), run.run().start(), run.run().end(), false),
            run.listed());
    requireUnchanged(range, "after it was listed");
    // A transient read error restarts the whole run with fresh digests.
    List<byte[]> digests =
        retries.read(run.location().child(run.run().path()), () -> hashOnce(range, run, progress));
    requireUnchanged(range, "while it was being hashed");
    return digests;
  }

  private List<byte[]> hashOnce(UnitTask range, RunTask run, @Nullable LongConsumer progress)
      throws IOException {
    // Opened read-only: no code path may write to a model file.
    try (ReadableByteChannel ch = opener.open(range)) {
      return hasher.hashConsecutive(
          ch, run.run().lengths(), run.algorithm(), describe(run), progress);
    } catch (NoSuchFileException | FileNotFoundException e) {
      // A gone pinned generation: the object was overwritten or deleted since it was listed.
      throw changed(
          range, pinned(range) ? "was replaced or deleted after it was listed" : "disappeared");
    }
  }

  /** The unit's resource name for a one-unit run (as before runs existed), else the file. */
  private static String describe(RunTask run) {
    return run.run().units().size() == 1
        ? run.run().units().get(0).resourceName()
        : run.run().path();
  }

  /** Whether reads of this unit go to the exact object generation that was listed. */
  private static boolean pinned(UnitTask task) {
    return task.listed().generation() > 0 && task.location().root().startsWith("gs://");
  }

  private static ReadableByteChannel open(UnitTask task) throws IOException {
    String path = task.location().child(task.unit().path());
    long start = task.unit().start();
    if (task.location().local()) {
      FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.READ);
      return positioned(ch, ch, start);
    }
    if (pinned(task)) {
      return GcsObjectReader.open(path, task.listed().generation(), start, task.unit().length());
    }
    ReadableByteChannel ch = FileSystems.open(FileSystems.matchNewResource(path, false));
    if (start == 0) {
      return ch;
    }
    if (!(ch instanceof SeekableByteChannel seekable)) {
      ch.close();
      throw new ModelSigningException(
          "'"
              + path
              + "' cannot be read from an offset (gzip-encoded object?); use"
              + " --method=files");
    }
    return positioned(ch, seekable, start);
  }

  /** Seeks to the unit's start, closing the channel if that fails (reads are retried). */
  private static ReadableByteChannel positioned(
      ReadableByteChannel ch, SeekableByteChannel seekable, long start) throws IOException {
    try {
      seekable.position(start);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static void requireUnchanged(UnitTask task, String when) throws IOException {
    ListedFile listed = task.listed();
    long size;
    long mtime;
    long generation = 0;
    String path = task.location().child(task.unit().path());
    if (task.location().local()) {
      // One stat, not three (exists, size, mtime): this runs twice per unit.
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        throw changed(task, "disappeared");
      }
      size = attrs.size();
      mtime = attrs.lastModifiedTime().toMillis();
    } else if (pinned(task)) {
      Blob now = GcsObjectReader.current(path);
      if (now == null) {
        throw changed(task, "disappeared");
      }
      size = now.getSize();
      mtime =
          now.getUpdateTimeOffsetDateTime() == null
              ? 0
              : now.getUpdateTimeOffsetDateTime().toInstant().toEpochMilli();
      generation = now.getGeneration() == null ? 0 : now.getGeneration();
    } else {
      MatchResult.Metadata m;
      try {
        m = FileSystems.matchSingleFileSpec(path);
      } catch (FileNotFoundException e) {
        throw changed(task, "disappeared");
      }
      size = m.sizeBytes();
      mtime = m.lastModifiedMillis();
    }
    if (generation != 0 && generation != listed.generation()) {
      // Same size and time are not enough: an overwrite of equal length is a new generation.
      throw changed(task, "was replaced " + when);
    }
    if (size != listed.size()
        || (mtime != 0
            && listed.lastModifiedMillis() != 0
            && mtime != listed.lastModifiedMillis())) {
      throw changed(task, "was modified " + when);
    }
  }

  private static ModelSigningException changed(UnitTask task, String what) {
    return new ModelSigningException(
        "model file '"
            + task.unit().path()
            + "' "
            + what
            + " (listed with "
            + task.listed().size()
            + " bytes); refusing to sign a model that changed during the job");
  }
}
