package dev.modelsigning.beam.io;

import dev.modelsigning.core.ModelSigningException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/** Writes a small text file (a job result, a report summary) wherever Beam can write. */
public final class ResultFiles {
  private ResultFiles() {}

  public static void write(String location, String text) {
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(location, false), MimeTypes.TEXT))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ModelSigningException("cannot write '" + location + "': " + e.getMessage(), e);
    }
  }
}
