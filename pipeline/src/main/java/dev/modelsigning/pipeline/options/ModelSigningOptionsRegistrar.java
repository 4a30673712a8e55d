package dev.modelsigning.pipeline.options;

import java.util.List;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Registers option interfaces that Beam's own registrars leave out, so strict parsing ({@code
 * PipelineOptionsFactory.fromArgs(args).withValidation()}) accepts them. Beam 2.73's {@code
 * AwsPipelineOptionsRegistrar} registers only {@code AwsOptions}; without this, {@code
 * --s3ClientFactoryClass}, {@code --s3UploadBufferSizeBytes}, {@code --SSEAlgorithm} and the other
 * {@link S3Options} are rejected as unknown. Found through {@code
 * META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar} (merged into the shaded
 * jar by the ServicesResourceTransformer).
 */
public final class ModelSigningOptionsRegistrar implements PipelineOptionsRegistrar {
  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return List.of(S3Options.class);
  }
}
