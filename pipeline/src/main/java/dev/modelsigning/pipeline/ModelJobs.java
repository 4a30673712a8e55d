package dev.modelsigning.pipeline;

import dev.modelsigning.beam.io.JobFileSystems;
import dev.modelsigning.beam.transforms.HashModels;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.manifest.HashingMethod;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.pipeline.options.HashingOptions;
import dev.modelsigning.pipeline.options.JobOptions;
import dev.modelsigning.pipeline.options.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.jspecify.annotations.Nullable;

/** Turns job options into the model request and signature location the pipelines work on. */
public final class ModelJobs {
  /** model_signing's default signature name inside a model directory. */
  public static final String DEFAULT_SIGNATURE_NAME = "model.sig";

  private ModelJobs() {}

  /**
   * Registers the file systems for a job whose every location is among its options, then parses the
   * model location.
   */
  public static ModelLocation location(ModelOptions options, Class<? extends JobOptions> job) {
    JobFileSystems.register(options, OptionLocations.of(options, job).toArray(String[]::new));
    return ModelLocation.of(options.getModel());
  }

  /** The --signature option, or model.sig inside a directory model, or file.sig beside a file. */
  public static String signatureLocation(ModelOptions options, ModelLocation model) {
    String explicit = options.getSignature();
    if (explicit != null && !explicit.isEmpty()) {
      return ModelLocation.of(explicit).root();
    }
    return isSingleFile(model) ? model.root() + ".sig" : model.child(DEFAULT_SIGNATURE_NAME);
  }

  public static SerializationSettings settings(
      HashingOptions options, boolean allowSymlinks, List<String> ignorePaths) {
    HashAlgorithm hash = HashAlgorithm.fromLabel(options.getHashAlgorithm());
    HashingMethod method = HashingMethod.fromLabel(options.getMethod());
    if (method == HashingMethod.SHARDS && options.getShardSize() <= 0) {
      throw new InvalidInputException("--shardSize must be a positive number of bytes");
    }
    return new SerializationSettings(
        method, hash, options.getShardSize(), allowSymlinks, ignorePaths);
  }

  /**
   * A request to hash the model as the options describe, ignoring the signature if it lies inside
   * (null: hash everything, as model_signing's digest does).
   */
  public static ModelRequest hashRequest(
      ModelOptions model,
      HashingOptions hashing,
      ModelLocation location,
      @Nullable String signature) {
    List<String> user = model.getIgnorePaths() == null ? List.of() : model.getIgnorePaths();
    List<String> ignores =
        IgnorePaths.of(
                signature == null ? null : location.relativize(signature),
                relativeToModel(location, user))
            .sorted();
    return ModelRequest.toSign(
        location, settings(hashing, model.getAllowSymlinks(), ignores), ignores, signature);
  }

  /** How units are hashed: the defaults, tuned by the job's options where it has them. */
  public static HashModels hashing(PipelineOptions options) {
    return withBatchTarget(HashModels.failingFast(), options);
  }

  /** The --hashBatchBytes target, when given. */
  public static HashModels withBatchTarget(HashModels hashing, PipelineOptions options) {
    Long target = options.as(JobOptions.class).getHashBatchBytes();
    if (target == null) {
      return hashing;
    }
    if (target <= 0) {
      throw new InvalidInputException("--hashBatchBytes must be a positive number of bytes");
    }
    return hashing.withBatchTarget(target);
  }

  /** Ignore paths may be given relative to the model, or as full paths inside it. */
  public static List<String> relativeToModel(ModelLocation location, List<String> paths) {
    return paths.stream().map(p -> relativeToModel(location, p)).toList();
  }

  private static String relativeToModel(ModelLocation location, String path) {
    if (!path.startsWith("/") && !path.contains("://")) {
      return path;
    }
    String inside = location.relativize(ModelLocation.of(path).root());
    if (inside == null) {
      throw new InvalidInputException("ignore path '" + path + "' is not inside the model");
    }
    return inside;
  }

  static boolean isSingleFile(ModelLocation model) {
    if (model.local()) {
      return Files.isRegularFile(model.localPath());
    }
    try {
      MatchResult r = FileSystems.match(model.root(), EmptyMatchTreatment.ALLOW);
      return r.status() == MatchResult.Status.OK
          && !r.metadata().isEmpty()
          && r.metadata().get(0).resourceId().toString().equals(model.root());
    } catch (IOException e) {
      return false;
    }
  }
}
