package dev.modelsigning.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelsigning.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which vault a --kmsKey names, and the names refused before any network call (all real code). */
class KmsSignersTest {
  @Test
  void awsKeyArnCarriesItsRegion() {
    AwsKmsKeyRef ref =
        AwsKmsKeyRef.parse(
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", null);
    assertEquals("us-east-1", ref.region());
    assertEquals(
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", ref.keyId());
    assertEquals(
        "cn-north-1",
        AwsKmsKeyRef.parse("arn:aws-cn:kms:cn-north-1:111122223333:alias/models", "cn-north-1")
            .region());
  }

  @Test
  void awsKeyIdOrAliasTakesTheGivenRegion() {
    assertEquals(
        new AwsKmsKeyRef("alias/models", "eu-west-1"),
        AwsKmsKeyRef.parse("alias/models", "eu-west-1"));
    assertEquals(
        "mrk-1234abcd12ab34cd56ef1234567890ab",
        AwsKmsKeyRef.parse("mrk-1234abcd12ab34cd56ef1234567890ab", "us-west-2").keyId());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "alias/models | | needs a region: give the key's ARN or a region",
        "arn:aws:kms:us-east-1:111122223333:key/k | eu-west-1 | is in us-east-1, but the region"
            + " given is eu-west-1",
        "arn:aws:s3:::bucket | | is not a KMS key ARN",
        "alias/models | Europe | is not a region name",
        "projects/p/locations/l/keyRings/r/cryptoKeys/k | | names a key, not a key version",
        "projects/p/keyRings/r | | is not of the form projects/P/locations/L",
        "my-key | | is neither a Cloud KMS key version",
      })
  void refusedBeforeAnyCall(String key, String region, String message) {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> KmsSigners.open(key, region));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void noKeyIsRefusedWithOrWithoutAnEndpoint() {
    for (String endpoint : new String[] {null, "http://127.0.0.1:9"}) {
      for (String key : new String[] {null, " "}) {
        InvalidInputException e =
            assertThrows(InvalidInputException.class, () -> KmsSigners.open(key, null, endpoint));
        assertEquals("no KMS key given", e.getMessage());
      }
    }
  }

  @Test
  void shapesAreTellApart() {
    assertTrue(GcpKmsKeyName.looksLike("projects/p/locations/l/keyRings/r/cryptoKeys/k"));
    assertFalse(AwsKmsKeyRef.looksLike("projects/p/locations/l/keyRings/r/cryptoKeys/k"));
    assertTrue(AwsKmsKeyRef.looksLike("1234abcd-12ab-34cd-56ef-1234567890ab"));
    assertTrue(AwsKmsKeyRef.looksLike("arn:aws:kms:us-east-1:111122223333:key/x"));
    assertFalse(GcpKmsKeyName.looksLike("alias/x"));
  }
}
