package dev.modelsigning.beam.transforms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.beam.io.JobResult;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.core.ModelSigningException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** Hashes one model and reports {@code sha256:<subject digest>}, like model_signing digest. */
public class DigestModel extends PTransform<PBegin, PCollection<String>> {
  private final ModelRequest request;
  private final String resultFile;

  public DigestModel(ModelRequest request, String resultFile) {
    this.request = request;
    this.resultFile = resultFile;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    return begin
        .apply("Model", Create.of(request).withCoder(SerializableCoder.of(ModelRequest.class)))
        .apply("Hash", HashModels.failingFast())
        .apply("Report", ParDo.of(new ReportDigestFn(resultFile)));
  }

  static class ReportDigestFn extends DoFn<HashedModel, String> {
    private final String resultFile;

    ReportDigestFn(String resultFile) {
      this.resultFile = resultFile;
    }

    @ProcessElement
    public void process(@Element HashedModel model, OutputReceiver<String> out) {
      if (!model.ok()) {
        throw new ModelSigningException(String.join("; ", model.errors()));
      }
      String digest = "sha256:" + model.manifest().subjectDigestHex();
      ObjectNode result = JobResult.newResult();
      result.put("model", model.snapshot().key());
      result.put("subjectDigest", digest);
      result.put("files", model.snapshot().files().size());
      result.put("bytes", model.snapshot().totalBytes());
      result.put("resources", model.manifest().resources().size());
      JobResult.write(resultFile, result);
      out.output(digest);
    }
  }
}
