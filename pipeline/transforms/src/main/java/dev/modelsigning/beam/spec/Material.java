package dev.modelsigning.beam.spec;

import dev.modelsigning.beam.io.MaterialFiles;
import dev.modelsigning.core.signing.Pem;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Public material an option names (a public key, certificates, a trust root, a signing config),
 * read once at launch: it travels in the pipeline graph as bytes, so workers need no access to
 * where it came from and every worker checks against the very same bytes.
 *
 * @param option the option that named it, e.g. {@code --publicKey}
 * @param location where it was read from, for messages
 * @param bytes its content
 */
public record Material(String option, String location, byte[] bytes) implements Serializable {
  /** Public material files are small: the largest, a trust root, is tens of kilobytes. */
  public static final int MAX_BYTES = 4 << 20;

  public Material {
    bytes = bytes.clone();
  }

  /** Reads it now (at launch), from a local path, {@code gs://} or {@code s3://}. */
  public static Material read(String option, String location) {
    String resolved = MaterialFiles.resolve(location);
    return new Material(option, resolved, MaterialFiles.read(option, resolved, MAX_BYTES));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public Pem pem() {
    return Pem.of(bytes, location);
  }

  /** {@code --option 'location'}, for messages. */
  public String describe() {
    return option + " '" + location + "'";
  }

  // Content equality: specs are compared (and verifiers cached) by what they trust.
  @Override
  public boolean equals(Object o) {
    return o instanceof Material m
        && option.equals(m.option)
        && location.equals(m.location)
        && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return (option.hashCode() * 31 + location.hashCode()) * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Material[" + describe() + ", " + bytes.length + " bytes]";
  }
}
