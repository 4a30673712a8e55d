package dev.modelsigning.pipeline;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Every string value of this project's own options: the locations a job may touch (model,
 * signature, keys, certificates, trust roots, policy, reports). Used to tell whether a job can need
 * {@code s3://} at all (see {@link dev.modelsigning.beam.io.JobFileSystems}).
 */
final class OptionLocations {
  private static final String OWN_OPTIONS = "dev.modelsigning.pipeline.options.";

  private OptionLocations() {}

  static List<String> of(PipelineOptions options, Class<? extends PipelineOptions> type) {
    PipelineOptions typed = options.as(type);
    List<String> values = new ArrayList<>();
    for (Method getter : type.getMethods()) {
      if (!getter.getDeclaringClass().getName().startsWith(OWN_OPTIONS)
          || getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(typed);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read option " + getter.getName(), e);
      }
      if (value instanceof String s) {
        values.add(s);
      } else if (value instanceof List<?> list) {
        list.forEach(v -> values.add(String.valueOf(v)));
      }
    }
    return values;
  }
}
