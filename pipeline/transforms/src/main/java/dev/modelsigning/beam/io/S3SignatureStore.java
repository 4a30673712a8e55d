package dev.modelsigning.beam.io;

import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.SignatureExistsException;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.SSECustomerKey;
import org.apache.beam.sdk.util.InstanceBuilder;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Publishes bundles to S3 with conditional writes instead of check-then-write: a new signature is
 * created with {@code If-None-Match: *}, so of two concurrent signers exactly one wins; an
 * overwrite sends {@code If-Match} with the ETag it saw, so it replaces exactly that object. Each
 * write is one PUT, so the object appears whole or not at all. Amazon S3 has honoured both headers
 * since 2024, as do recent MinIO and S3Proxy; for a store that ignores them, a HEAD before the PUT
 * still refuses a signature that already exists.
 *
 * <p>The client and the write settings (storage class, server-side encryption) come from the job's
 * {@link S3Options}, exactly as for Beam's own S3 file system.
 */
public final class S3SignatureStore implements AutoCloseable {
  private static final String CONTENT_TYPE = "application/json";

  private final S3Client s3;
  private final S3Options options;

  public S3SignatureStore(S3Client s3, S3Options options) {
    this.s3 = s3;
    this.options = options;
  }

  /** A store over the client Beam's S3 file system would build from these options. */
  public static S3SignatureStore of(S3Options options) {
    S3ClientBuilderFactory factory =
        InstanceBuilder.ofType(S3ClientBuilderFactory.class)
            .fromClass(options.getS3ClientFactoryClass())
            .build();
    return new S3SignatureStore(factory.createBuilder(options).build(), options);
  }

  public void write(String location, byte[] bundle, boolean overwrite) {
    S3Object object = S3Object.parse(location);
    String seenETag = headETag(object, location);
    if (!overwrite && seenETag != null) {
      throw new SignatureExistsException(location);
    }
    try {
      put(object, bundle, seenETag);
    } catch (S3Exception e) {
      // 412: the precondition failed; 409: a concurrent write to the same key was in flight.
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        if (!overwrite) {
          throw new SignatureExistsException(location);
        }
        throw new ModelSigningException(
            "signature '" + location + "' was replaced by someone else while signing; rerun", e);
      }
      throw new ModelSigningException(
          "cannot write signature '" + location + "': " + e.getMessage(), e);
    }
  }

  /** One PUT: created only if absent ({@code expectedETag} null) or replacing that ETag. */
  void put(S3Object object, byte[] bundle, @Nullable String expectedETag) {
    PutObjectRequest.Builder request =
        PutObjectRequest.builder()
            .bucket(object.bucket())
            .key(object.key())
            .contentType(CONTENT_TYPE)
            .overrideConfiguration(
                c ->
                    c.putHeader(
                        expectedETag == null ? "If-None-Match" : "If-Match",
                        expectedETag == null ? "*" : expectedETag));
    applyWriteSettings(request);
    s3.putObject(request.build(), RequestBody.fromBytes(bundle));
  }

  /** Storage class and server-side encryption, as Beam's S3 file system applies them. */
  private void applyWriteSettings(PutObjectRequest.Builder request) {
    if (options.getS3StorageClass() != null) {
      request.storageClass(options.getS3StorageClass());
    }
    if (options.getSSEAlgorithm() != null) {
      request.serverSideEncryption(options.getSSEAlgorithm());
    }
    if (options.getSSEKMSKeyId() != null) {
      request.ssekmsKeyId(options.getSSEKMSKeyId());
    }
    if (options.getBucketKeyEnabled()) {
      request.bucketKeyEnabled(true);
    }
    SSECustomerKey customerKey = options.getSSECustomerKey();
    if (customerKey != null && customerKey.getKey() != null) {
      request
          .sseCustomerKey(customerKey.getKey())
          .sseCustomerAlgorithm(customerKey.getAlgorithm())
          .sseCustomerKeyMD5(customerKey.getMD5());
    }
  }

  private @Nullable String headETag(S3Object object, String location) {
    try {
      return s3.headObject(b -> b.bucket(object.bucket()).key(object.key())).eTag();
    } catch (NoSuchKeyException e) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null; // HEAD has no body, so some stores' 404 carries no NoSuchKey code
      }
      throw new ModelSigningException(
          "cannot check signature '" + location + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  /** The bucket and key an {@code s3://bucket/key} location names. */
  record S3Object(String bucket, String key) {
    static S3Object parse(String location) {
      String rest = location.startsWith("s3://") ? location.substring("s3://".length()) : "";
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1) {
        throw new IllegalArgumentException("not an s3://bucket/key location: " + location);
      }
      return new S3Object(rest.substring(0, slash), rest.substring(slash + 1));
    }
  }
}
