package dev.modelsigning.beam.io;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client with path-style addressing ({@code http://host:port/bucket/key}) instead of
 * virtual-host style ({@code http://bucket.host:port/key}). S3-compatible stores such as MinIO,
 * Ceph RGW and S3Proxy, and any endpoint given as an IP address, need path style: there is no DNS
 * name per bucket. Everything else (endpoint, region, credentials, HTTP client, proxy) comes from
 * Beam's own options, exactly as with {@link DefaultS3ClientBuilderFactory}.
 *
 * <p>Options for an S3-compatible endpoint, in the {@code --name=value} form Beam requires:
 *
 * <pre>
 * --s3ClientFactoryClass=dev.modelsigning.beam.io.PathStyleS3ClientBuilderFactory
 * --endpoint=http://127.0.0.1:9000
 * --awsRegion=us-east-1
 * --awsCredentialsProvider={"@type":"StaticCredentialsProvider","accessKeyId":"ACCESS","secretAccessKey":"SECRET"}
 * </pre>
 *
 * <ul>
 *   <li>{@code --endpoint}: scheme, host and port of the store. For a store on this machine give
 *       the address it listens on, e.g. {@code 127.0.0.1}, not {@code localhost}, which may resolve
 *       to {@code ::1} first and miss an IPv4-only listener.
 *   <li>{@code --awsRegion}: required by the SDK for request signing even when the store ignores
 *       it; most S3-compatible stores accept {@code us-east-1}.
 *   <li>{@code --awsCredentialsProvider}: JSON understood by Beam's {@code AwsModule}; {@code
 *       "@type"} is the simple class name of an AWS SDK v2 provider. Besides {@code
 *       StaticCredentialsProvider} (with optional {@code "sessionToken"}), {@code
 *       DefaultCredentialsProvider}, {@code EnvironmentVariableCredentialsProvider}, {@code
 *       SystemPropertyCredentialsProvider}, {@code ProfileCredentialsProvider} and {@code
 *       ContainerCredentialsProvider} are accepted. Prefer {@code
 *       {"@type":"EnvironmentVariableCredentialsProvider"}} (AWS_ACCESS_KEY_ID,
 *       AWS_SECRET_ACCESS_KEY) on real deployments: option values end up in job metadata and logs.
 * </ul>
 *
 * <p>Model files are read with one ranged GET per work unit, so the store must honour {@code Range}
 * headers (all of the above do).
 */
public class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
  }
}
