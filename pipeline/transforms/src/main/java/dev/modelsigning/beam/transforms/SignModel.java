package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.spec.SignerSpec;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Signs models: hashes each requested model across all workers, then signs each manifest once and
 * publishes its bundle atomically at the request's signature location.
 *
 * <pre>{@code
 * p.apply(Create.of(ModelRequest.toSign(model, settings, ignores, "gs://b/m/model.sig")))
 *  .apply(SignModel.with(SignerSpec.key(SecretFile.at("--privateKey", "gs://keys/k.pem"),
 *                                       KeyPassword.none())));
 * }</pre>
 */
public class SignModel extends PTransform<PCollection<ModelRequest>, PCollection<ModelResult>> {
  private final SignerSpec signer;
  private final boolean overwrite;
  private final HashModels hashing;

  private SignModel(SignerSpec signer, boolean overwrite, HashModels hashing) {
    this.signer = signer;
    this.overwrite = overwrite;
    this.hashing = hashing;
  }

  public static SignModel with(SignerSpec signer) {
    return new SignModel(signer, false, HashModels.failingFast());
  }

  /** Replace an existing signature instead of failing (default: never replace). */
  public SignModel withOverwrite(boolean overwrite) {
    return new SignModel(signer, overwrite, hashing);
  }

  /** Hash with these settings (batch size, buffer) instead of the defaults. */
  public SignModel withHashing(HashModels hashing) {
    return new SignModel(signer, overwrite, hashing);
  }

  @Override
  public PCollection<ModelResult> expand(PCollection<ModelRequest> requests) {
    return requests
        .apply("Hash", hashing)
        .apply("Sign", ParDo.of(new SignModelFn(signer, overwrite)));
  }
}
