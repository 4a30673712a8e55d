package dev.modelsigning.kms;

import dev.modelsigning.core.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An AWS KMS key: a key or alias ARN (which carries its region), or a key id, multi-region key id
 * or {@code alias/NAME} together with a region.
 *
 * @param keyId what KMS is sent as {@code KeyId}
 * @param region the key's region
 */
public record AwsKmsKeyRef(String keyId, String region) {
  private static final Pattern ARN =
      Pattern.compile("arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\\d{12}):(key|alias)/(.+)");
  private static final Pattern BARE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
              + "|mrk-[0-9a-fA-F]{32}|alias/[A-Za-z0-9/_-]+");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  /** Whether {@code name} looks like an AWS KMS key reference at all. */
  public static boolean looksLike(String name) {
    return name.startsWith("arn:") || BARE.matcher(name).matches();
  }

  /**
   * @param region required unless {@code key} is an ARN; must agree with the ARN's region if both
   *     are given
   */
  public static AwsKmsKeyRef parse(String key, @Nullable String region) {
    String given = region == null || region.isBlank() ? null : region.trim();
    if (given != null && !REGION.matcher(given).matches()) {
      throw new InvalidInputException("AWS region '" + given + "' is not a region name");
    }
    Matcher arn = ARN.matcher(key);
    if (arn.matches()) {
      String arnRegion = arn.group(2);
      if (given != null && !given.equals(arnRegion)) {
        throw new InvalidInputException(
            "AWS KMS key " + key + " is in " + arnRegion + ", but the region given is " + given);
      }
      return new AwsKmsKeyRef(key, arnRegion);
    }
    if (key.startsWith("arn:")) {
      throw new InvalidInputException(
          "AWS KMS key '"
              + key
              + "' is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID or .../alias/NAME)");
    }
    if (!BARE.matcher(key).matches()) {
      throw new InvalidInputException(
          "AWS KMS key '" + key + "' is neither an ARN, a key id, nor alias/NAME");
    }
    if (given == null) {
      throw new InvalidInputException(
          "AWS KMS key " + key + " needs a region: give the key's ARN or a region");
    }
    return new AwsKmsKeyRef(key, given);
  }
}
