package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.ModelChanges;
import dev.modelsigning.beam.io.SignatureStore;
import dev.modelsigning.beam.spec.SignerSpec;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.SignatureExistsException;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.signing.ModelSigner;
import dev.modelsigning.core.signing.SignatureOwnership;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The singleton signing step: checks the model did not change, serializes the statement, signs it
 * once and publishes the bundle atomically.
 */
class SignModelFn extends DoFn<HashedModel, ModelResult> {
  private static final Logger LOG = LoggerFactory.getLogger(SignModelFn.class);

  private final SignerSpec signerSpec;
  private final boolean overwrite;

  SignModelFn(SignerSpec signerSpec, boolean overwrite) {
    this.signerSpec = signerSpec;
    this.overwrite = overwrite;
  }

  @ProcessElement
  public void process(
      @Element HashedModel model, OutputReceiver<ModelResult> out, PipelineOptions options) {
    if (!model.ok()) {
      throw new ModelSigningException(String.join("; ", model.errors()));
    }
    Manifest manifest = Objects.requireNonNull(model.manifest(), "an ok() model has a manifest");
    String signature =
        Objects.requireNonNull(
            model.snapshot().request().signature(), "a signing request names its signature");
    ModelChanges.requireUnchangedSince(model.snapshot());
    byte[] statement = StatementWriter.write(manifest);
    ModelSigner signer = signerSpec.create();
    byte[] bundle = signer.sign(statement);
    publish(signature, bundle, statement, signer.publicKey(), options);
    String digest = "sha256:" + manifest.subjectDigestHex();
    LOG.info(
        "Signed {}: {}, {} files, {} bytes -> {}",
        model.snapshot().model(),
        digest,
        model.snapshot().files().size(),
        model.snapshot().totalBytes(),
        signature);
    out.output(
        new ModelResult(
            ModelResult.Action.SIGNED,
            model.snapshot().model(),
            digest,
            model.snapshot().files().size(),
            model.snapshot().totalBytes(),
            manifest.resources().size(),
            signature,
            signerSpec.describe(),
            List.of(),
            List.of()));
  }

  /**
   * A runner may run this step twice (a retry after a lost acknowledgement). If the bundle already
   * there signs the very same statement by the same signer, the earlier attempt succeeded and is
   * kept.
   */
  private void publish(
      String signature,
      byte[] bundle,
      byte[] statement,
      Optional<PublicKey> ourKey,
      PipelineOptions options) {
    try {
      SignatureStore.write(signature, bundle, overwrite, options);
    } catch (SignatureExistsException e) {
      if (!isEarlierAttempt(signature, statement, bundle, ourKey)) {
        throw e;
      }
      LOG.info(
          "{} already holds this signer's signature of this exact manifest; keeping it", signature);
    }
  }

  private static boolean isEarlierAttempt(
      String signature, byte[] statement, byte[] ourBundle, Optional<PublicKey> ourKey) {
    try {
      return SignatureOwnership.isOurs(
          SignatureStore.read(signature), statement, ourBundle, ourKey);
    } catch (ModelSigningException e) {
      return false;
    }
  }
}
