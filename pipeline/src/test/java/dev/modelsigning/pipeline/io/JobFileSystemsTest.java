package dev.modelsigning.pipeline.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobFileSystemsTest {
  @Test
  void s3OrAnUnknownLocationKeepsTheUsualRegionLookup() {
    assertFalse(JobFileSystems.mayUseS3("/models/m", "/models/m/model.sig", "gs://b/m"));
    assertTrue(JobFileSystems.mayUseS3("/models/m", "s3://bucket/m/model.sig"));
    assertTrue(JobFileSystems.mayUseS3("/models/m", null));
  }
}
