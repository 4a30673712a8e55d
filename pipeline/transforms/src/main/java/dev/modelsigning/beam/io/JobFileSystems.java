package dev.modelsigning.beam.io;

import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;

/**
 * Registers Beam's file systems for a job. Beam's S3 registrar resolves an AWS region even when no
 * {@code s3://} path is used; with no region configured, the AWS SDK then probes the EC2 instance
 * metadata endpoint with retries, which cost about 1-3 s of every local job's start-up (measured
 * with JFR, see PERFORMANCE.md). When none of the job's locations is on S3, this job's options get
 * a placeholder region so the probe is skipped; S3 is never contacted, so the value is never used.
 * Only this job's options change, never JVM-wide settings that a later S3 job would inherit.
 */
public final class JobFileSystems {
  private JobFileSystems() {}

  /**
   * @param options the job's options
   * @param locations every location the job reads or writes that is known now; pass null for one
   *     that is not known yet (then the S3 region is resolved as usual, since S3 may be used)
   */
  public static void register(PipelineOptions options, @Nullable String... locations) {
    if (!mayUseS3(locations)) {
      options.as(AwsOptions.class).setAwsRegion(Region.US_EAST_1);
    }
    FileSystems.setDefaultPipelineOptions(options);
  }

  static boolean mayUseS3(@Nullable String... locations) {
    return Arrays.stream(locations)
        .anyMatch(l -> l == null || l.regionMatches(true, 0, "s3://", 0, 5));
  }
}
