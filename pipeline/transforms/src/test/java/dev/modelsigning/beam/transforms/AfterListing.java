package dev.modelsigning.beam.transforms;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.rules.ExternalResource;

/**
 * Runs an action inside HashModels, after a model was listed and before any of its units is hashed:
 * the one moment a file can "vanish after listing" deterministically.
 *
 * <p>HashModels exposes no hook there, but ListModelFn logs {@code "Listed <root>: ..."} (through
 * slf4j-simple, which writes each line with one {@code println} on the current {@code System.err})
 * just before it outputs the snapshot that planning and hashing depend on. This rule wraps {@code
 * System.err} and runs the action, on the listing thread, when that line is printed. If the log
 * line ever changes, {@link #fired()} stays 0 and the tests that use this rule say so.
 */
final class AfterListing extends ExternalResource {
  private final AtomicInteger fired = new AtomicInteger();
  private PrintStream original;
  private volatile String model;
  private volatile Runnable action;

  /** Runs {@code action} once, right after the model rooted at {@code root} is listed. */
  void then(String root, Runnable action) {
    this.model = root;
    this.action = action;
  }

  int fired() {
    return fired.get();
  }

  @Override
  protected void before() {
    original = System.err;
    System.setErr(
        new PrintStream(original, true) {
          @Override
          public void println(String line) {
            String m = model;
            if (m != null && line != null && line.contains("Listed " + m + ":")) {
              if (fired.getAndIncrement() == 0) {
                action.run();
              }
            }
            super.println(line);
          }
        });
  }

  @Override
  protected void after() {
    System.setErr(original);
  }
}
