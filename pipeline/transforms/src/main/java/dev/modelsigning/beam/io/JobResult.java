package dev.modelsigning.beam.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The one-line JSON summary a job writes when asked to (--resultFile): what the launcher prints
 * after the run, since a runner gives no element back to the program that started it.
 */
public final class JobResult {
  private JobResult() {}

  public static ObjectNode newResult() {
    return Json.MAPPER.createObjectNode();
  }

  public static void write(String location, ObjectNode result) {
    if (location == null || location.isEmpty()) {
      return;
    }
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(location, false), MimeTypes.TEXT))) {
      out.write(Json.MAPPER.writeValueAsBytes(result));
    } catch (IOException e) {
      throw new ModelSigningException("cannot write result file '" + location + "'", e);
    }
  }
}
