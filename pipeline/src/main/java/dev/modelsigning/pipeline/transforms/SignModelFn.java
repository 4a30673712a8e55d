package dev.modelsigning.pipeline.transforms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.pipeline.SignerFactory;
import dev.modelsigning.pipeline.io.HashedModel;
import dev.modelsigning.pipeline.io.JobResult;
import dev.modelsigning.pipeline.io.SignatureExistsException;
import dev.modelsigning.pipeline.io.SignatureStore;
import java.util.Arrays;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The singleton signing step: checks the model did not change, serializes the statement, signs it
 * once and publishes the bundle atomically.
 */
class SignModelFn extends DoFn<HashedModel, String> {
  private static final Logger LOG = LoggerFactory.getLogger(SignModelFn.class);

  private final SignerFactory signerFactory;
  private final String signature;
  private final boolean overwrite;
  private final String resultFile;

  SignModelFn(SignerFactory signerFactory, String signature, boolean overwrite, String resultFile) {
    this.signerFactory = signerFactory;
    this.signature = signature;
    this.overwrite = overwrite;
    this.resultFile = resultFile;
  }

  @ProcessElement
  public void process(@Element HashedModel model, OutputReceiver<String> out) {
    if (!model.ok()) {
      throw new ModelSigningException(String.join("; ", model.errors()));
    }
    ModelChanges.requireUnchangedSince(model.snapshot());
    byte[] statement = StatementWriter.write(model.manifest());
    byte[] bundle = signerFactory.create().sign(statement);
    publish(bundle, statement);
    String digest = model.manifest().subjectDigestHex();
    LOG.info(
        "Signed {}: sha256:{}, {} files, {} bytes -> {}",
        model.snapshot().key(),
        digest,
        model.snapshot().files().size(),
        model.snapshot().totalBytes(),
        signature);
    ObjectNode result = JobResult.newResult();
    result.put("model", model.snapshot().key());
    result.put("subjectDigest", "sha256:" + digest);
    result.put("files", model.snapshot().files().size());
    result.put("bytes", model.snapshot().totalBytes());
    result.put("resources", model.manifest().resources().size());
    result.put("signature", signature);
    JobResult.write(resultFile, result);
    out.output(signature);
  }

  /**
   * A runner may run this step twice (a retry after a lost acknowledgement). If the bundle already
   * there signs the very same statement, the earlier attempt succeeded and is kept.
   */
  private void publish(byte[] bundle, byte[] statement) {
    try {
      SignatureStore.write(signature, bundle, overwrite);
    } catch (SignatureExistsException e) {
      if (!signsSameStatement(statement)) {
        throw e;
      }
      LOG.info("{} already holds a signature of this exact manifest; keeping it", signature);
    }
  }

  private boolean signsSameStatement(byte[] statement) {
    try {
      return Arrays.equals(
          BundleReader.read(SignatureStore.read(signature)).envelope().payload(), statement);
    } catch (ModelSigningException e) {
      return false;
    }
  }
}
