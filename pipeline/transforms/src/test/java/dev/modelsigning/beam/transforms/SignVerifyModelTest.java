package dev.modelsigning.beam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.beam.values.VerifyRequest;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.model.ModelFile;
import dev.modelsigning.core.verify.KeyVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * SignModel and VerifyModel with the key method (the sample demo key): a model signed and verified
 * in one pipeline reports what the core computes, and a model changed after signing fails the job
 * with a VerificationException naming the file.
 */
public class SignVerifyModelTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void signThenVerifyInOnePipeline() throws IOException {
    Path model = TestModels.rich(tmp.getRoot().toPath(), "rich");
    ModelRequest toSign = TestModels.signRequest(model, TestModels.shards());
    Manifest core = TestModels.coreManifest(toSign);
    List<ModelFile> files = TestModels.coreFiles(toSign);
    String root = toSign.location().root();
    String signature = toSign.signature();
    String digest = TestModels.sha256(core);
    long fileCount = files.size();
    long bytes = TestModels.bytes(files);
    long resources = core.resources().size();

    PCollection<ModelResult> signed =
        p.apply("ToSign", Create.of(toSign).withCoder(SerializableCoder.of(ModelRequest.class)))
            .apply("Sign", SignModel.with(TestModels.keySigner()));
    PCollection<ModelResult> verified =
        p.apply(
                "ToVerify",
                Create.of(new VerifyRequest(ModelLocation.of(root), signature, List.of()))
                    .withCoder(SerializableCoder.of(VerifyRequest.class)))
            .apply("AfterSigning", Wait.on(signed))
            .apply("Verify", VerifyModel.with(TestModels.keyVerifier()));

    PAssert.thatSingleton("signed", signed)
        .satisfies(
            r -> {
              assertEquals(ModelResult.Action.SIGNED, r.action());
              assertEquals(root, r.model());
              assertEquals(digest, r.subjectDigest());
              assertEquals(fileCount, r.files());
              assertEquals(bytes, r.bytes());
              assertEquals(resources, r.resources());
              assertEquals(signature, r.signature());
              assertTrue(r.signer(), r.signer().contains("demo-private-key.pem"));
              return null;
            });
    PAssert.thatSingleton("verified", verified)
        .satisfies(
            r -> {
              assertEquals(ModelResult.Action.VERIFIED, r.action());
              assertEquals(root, r.model());
              assertEquals(digest, r.subjectDigest());
              assertEquals(fileCount, r.files());
              assertEquals(bytes, r.bytes());
              assertEquals(resources, r.resources());
              assertEquals(signature, r.signature());
              assertNotNull(r.signer());
              assertEquals(List.of(), r.ignoredUnsignedFiles());
              return null;
            });
    p.run();

    // The bundle on disk, read by the core alone, signs the core's manifest.
    byte[] bundle = Files.readAllBytes(model.resolve("model.sig"));
    Manifest signedManifest =
        KeyVerifier.fromPem(TestModels.PUBLIC_KEY)
            .verify(BundleReader.read(bundle))
            .readStatement()
            .manifest();
    assertEquals(core, signedManifest);
  }

  @Test
  public void aChangedFileFailsTheJobNamingIt() {
    Path model = signedModel();
    TestModels.tamper(model.resolve("weights/model-00002.bin"));
    assertVerificationFailsNaming(model, "weights/model-00002.bin");
  }

  @Test
  public void anExtraFileFailsTheJobNamingIt() {
    Path model = signedModel();
    TestModels.write(model, "weights/extra.bin", 5);
    assertVerificationFailsNaming(model, "weights/extra.bin");
  }

  @Test
  public void aMissingFileFailsTheJobNamingIt() throws IOException {
    Path model = signedModel();
    Files.delete(model.resolve("tokenizer.json"));
    assertVerificationFailsNaming(model, "tokenizer.json");
  }

  /** The rich model signed by the core (whole files) into {@code model.sig}. */
  private Path signedModel() {
    Path model = TestModels.rich(tmp.getRoot().toPath(), "rich");
    TestModels.signWithCore(model);
    return model;
  }

  private void assertVerificationFailsNaming(Path model, String file) {
    ModelLocation location = ModelLocation.of(model.toString());
    p.apply(
            Create.of(new VerifyRequest(location, location.child("model.sig"), List.of()))
                .withCoder(SerializableCoder.of(VerifyRequest.class)))
        .apply(VerifyModel.with(TestModels.keyVerifier()));
    Throwable thrown = assertThrows(RuntimeException.class, p::run);
    Throwable cause = thrown;
    while (cause != null && !(cause instanceof VerificationException)) {
      cause = cause.getCause();
    }
    assertNotNull("no VerificationException in " + thrown, cause);
    assertTrue(cause.getMessage(), cause.getMessage().contains(file));
  }
}
