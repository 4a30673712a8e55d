package dev.modelsigning.beam.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Bounded exponential backoff around one whole read (open, read to the end, close). A read that
 * fails with a transient {@link IOException} (a reset connection, a 503 surfaced by an object store
 * client after its own retries) is started again from scratch, so a retried hash never mixes bytes
 * from two attempts. Not retried: a missing object or denied access (retrying cannot help) and
 * every {@link dev.modelsigning.core.ModelSigningException} (a changed file is a verdict, not a
 * fault). After the last attempt the error names the object and how often it was tried.
 */
public final class RetryingReads implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One read: opens what it needs and closes it before returning. */
  @FunctionalInterface
  public interface Read<T> {
    T run() throws IOException;
  }

  /** Waits between attempts; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper extends Serializable {
    void sleep(long millis) throws InterruptedException;
  }

  /** 4 attempts, 250 ms then 500 ms then 1 s between them (under 2 s of waiting in all). */
  public static final RetryingReads DEFAULT = new RetryingReads(4, 250, 4_000, Thread::sleep);

  private final int attempts;
  private final long firstDelayMillis;
  private final long maxDelayMillis;
  private final Sleeper sleeper;

  public RetryingReads(int attempts, long firstDelayMillis, long maxDelayMillis, Sleeper sleeper) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
    this.attempts = attempts;
    this.firstDelayMillis = firstDelayMillis;
    this.maxDelayMillis = maxDelayMillis;
    this.sleeper = sleeper;
  }

  /**
   * @param what the object being read, for the final error
   */
  public <T> T read(String what, Read<T> read) throws IOException {
    long delay = firstDelayMillis;
    for (int attempt = 1; ; attempt++) {
      try {
        return read.run();
      } catch (IOException e) {
        if (!isTransient(e)) {
          throw e;
        }
        if (attempt >= attempts) {
          throw new IOException(
              "reading '"
                  + what
                  + "' failed "
                  + attempts
                  + " times, the last with: "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage(),
              e);
        }
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while retrying a read of '" + what + "'", e);
        }
        delay = Math.min(delay * 2, maxDelayMillis);
      }
    }
  }

  static boolean isTransient(IOException e) {
    return !(e instanceof FileNotFoundException
        || e instanceof NoSuchFileException
        || e instanceof AccessDeniedException
        || e instanceof NotDirectoryException);
  }
}
