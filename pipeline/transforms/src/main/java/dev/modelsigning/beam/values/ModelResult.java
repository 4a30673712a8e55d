package dev.modelsigning.beam.values;

import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.Json;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a sign, verify or digest job did to one model: the result its launcher reports, whichever
 * runner and machines did the work.
 *
 * @param action what was done
 * @param model the model root
 * @param subjectDigest {@code sha256:<hex>}, the digest model_signing prints
 * @param files files hashed
 * @param bytes bytes hashed
 * @param resources resources in the manifest (files, or shards)
 * @param signature where the signature was written or read, or null (digest)
 * @param signer who signed (key hint, certificate subject or identity), or null (digest)
 * @param ignoredUnsignedFiles files the signature does not list, tolerated because verification ran
 *     with --ignoreUnsignedFiles
 * @param notes what the user should hear about (a legacy signature format, a timestamp set aside)
 */
public record ModelResult(
    Action action,
    String model,
    String subjectDigest,
    long files,
    long bytes,
    long resources,
    @Nullable String signature,
    @Nullable String signer,
    List<String> ignoredUnsignedFiles,
    List<String> notes)
    implements Serializable {

  public ModelResult {
    ignoredUnsignedFiles =
        ignoredUnsignedFiles == null ? List.of() : List.copyOf(ignoredUnsignedFiles);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** What the job did. */
  public enum Action {
    SIGNED,
    VERIFIED,
    DIGESTED
  }

  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new ModelSigningException("cannot serialize the job result", e);
    }
  }

  public static ModelResult fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, ModelResult.class);
    } catch (IOException e) {
      throw new ModelSigningException("unreadable job result: " + e.getMessage(), e);
    }
  }
}
