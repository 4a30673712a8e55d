package dev.modelsigning.pipeline.io;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Registers Beam's file systems for a job. Beam's S3 registrar resolves an AWS region even when no
 * {@code s3://} path is used; with no region configured, the AWS SDK then probes the EC2 instance
 * metadata endpoint with retries, which cost about 1-3 s of every local job's start-up (measured
 * with JFR, see PERFORMANCE.md). When none of the job's locations is on S3 and no region is
 * configured, a placeholder region is set so the probe is skipped; S3 is never contacted, so the
 * value is never used.
 */
public final class JobFileSystems {
  /** The AWS SDK's own system property, read before its environment variable. */
  static final String REGION_PROPERTY = "aws.region";

  private JobFileSystems() {}

  /**
   * @param options the job's options
   * @param locations every location the job reads or writes that is known now; pass null for one
   *     that is not known yet (then the S3 region is resolved as usual, since S3 may be used)
   */
  public static void register(PipelineOptions options, String... locations) {
    if (!mayUseS3(locations) && regionUnconfigured()) {
      System.setProperty(REGION_PROPERTY, "us-east-1");
    }
    FileSystems.setDefaultPipelineOptions(options);
  }

  static boolean mayUseS3(String... locations) {
    return Arrays.stream(locations).anyMatch(l -> l == null || l.startsWith("s3://"));
  }

  private static boolean regionUnconfigured() {
    return System.getProperty(REGION_PROPERTY) == null
        && System.getenv("AWS_REGION") == null
        && System.getenv("AWS_DEFAULT_REGION") == null
        && Objects.requireNonNullElse(System.getenv("AWS_PROFILE"), "").isEmpty()
        && Objects.requireNonNullElse(System.getenv("AWS_CONFIG_FILE"), "").isEmpty();
  }
}
