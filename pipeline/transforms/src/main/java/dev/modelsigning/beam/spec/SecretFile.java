package dev.modelsigning.beam.spec;

import dev.modelsigning.beam.io.MaterialFiles;
import java.io.Serializable;

/**
 * Where a secret is (a private key, a key password, an identity token): only the location travels
 * in the pipeline graph, never the secret. The worker that signs reads it, with its own
 * credentials, at the moment it needs it.
 *
 * @param option the option that named it, e.g. {@code --privateKey}
 * @param location a path on the worker's disk (made absolute at launch), {@code gs://} or {@code
 *     s3://}
 */
public record SecretFile(String option, String location) implements Serializable {
  /** Keys, passwords and tokens are small. */
  public static final int MAX_BYTES = 1 << 20;

  /** Fixes a relative local path at launch: it means the launcher's working directory. */
  public static SecretFile at(String option, String location) {
    return new SecretFile(option, MaterialFiles.resolve(location));
  }

  /** Reads it now, on the worker. */
  public byte[] read() {
    return MaterialFiles.read(option, location, MAX_BYTES);
  }

  /** {@code --option 'location'}, for messages. */
  public String describe() {
    return option + " '" + location + "'";
  }
}
