package dev.modelsigning.pipeline.cli;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.VerificationException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Why a job failed, as one line. Runners wrap the exception a worker threw (the DirectRunner in a
 * PipelineExecutionException, Flink in a JobExecutionException whose cause may arrive from another
 * machine as a serialized copy that keeps only the class name and message); this finds this
 * project's exception in the chain, by type or by name.
 *
 * @param line what to print
 * @param usageError whether it was bad input (exit 2) rather than a failure (exit 1)
 */
record FailureCause(String line, boolean usageError) {
  private static final String CORE = "dev.modelsigning.core.";
  private static final Pattern NAMED =
      Pattern.compile(
          "^(dev\\.modelsigning\\.[\\w.]+(?:Exception))(?::\\s*(.*))?$", Pattern.DOTALL);

  static FailureCause of(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof ModelSigningException e) {
        return of(e.getClass().getName(), e.getMessage(), e instanceof InvalidInputException);
      }
      // A copy of a worker's exception (e.g. Flink's SerializedThrowable) prints as the original.
      Matcher m = NAMED.matcher(String.valueOf(t));
      if (m.matches()) {
        return of(m.group(1), m.group(2), isUsageError(m.group(1)));
      }
    }
    return new FailureCause("error: " + firstLine(String.valueOf(failure)), false);
  }

  private static FailureCause of(String type, @Nullable String message, boolean usage) {
    String text = firstLine(message == null ? type : message);
    if (type.equals(VerificationException.class.getName())) {
      return new FailureCause("verification failed: " + text, false);
    }
    return new FailureCause("error: " + text, usage);
  }

  /** Usage errors are InvalidInputException and its subclasses (which live beside it). */
  private static boolean isUsageError(String type) {
    if (type.equals(InvalidInputException.class.getName())) {
      return true;
    }
    try {
      return InvalidInputException.class.isAssignableFrom(Class.forName(type));
    } catch (ClassNotFoundException | LinkageError e) {
      return type.startsWith(CORE) && type.endsWith("InvalidInputException");
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
