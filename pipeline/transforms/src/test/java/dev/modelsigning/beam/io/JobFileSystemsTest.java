package dev.modelsigning.beam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class JobFileSystemsTest {
  @Test
  void s3OrAnUnknownLocationKeepsTheUsualRegionLookup() {
    assertFalse(JobFileSystems.mayUseS3("/models/m", "/models/m/model.sig", "gs://b/m"));
    assertTrue(JobFileSystems.mayUseS3("/models/m", "s3://bucket/m/model.sig"));
    assertTrue(JobFileSystems.mayUseS3("S3://bucket/m"));
    assertTrue(JobFileSystems.mayUseS3("/models/m", null));
  }

  @Test
  void aJobOnS3KeepsTheRegionItWasGiven() {
    AwsOptions options =
        PipelineOptionsFactory.fromArgs("--awsRegion=eu-west-3").as(AwsOptions.class);
    JobFileSystems.register(options, "s3://bucket/model", "s3://bucket/model/model.sig");
    assertEquals(Region.EU_WEST_3, options.getAwsRegion());
  }

  @Test
  void aLocalJobGetsAPlaceholderRegionOnlyInItsOwnOptions() {
    AwsOptions local = PipelineOptionsFactory.create().as(AwsOptions.class);
    JobFileSystems.register(local, "/models/m", "/models/m/model.sig");
    assertEquals(Region.US_EAST_1, local.getAwsRegion());
    assertEquals(null, System.getProperty("aws.region"), "no JVM-wide setting");
  }
}
