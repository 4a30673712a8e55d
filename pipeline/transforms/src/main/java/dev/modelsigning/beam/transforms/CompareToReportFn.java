package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ReportLine;
import dev.modelsigning.core.VerificationException;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Compares one re-hashed registry model with its signed manifest and reports the outcome. */
class CompareToReportFn extends DoFn<HashedModel, ReportLine> {
  private static final Logger LOG = LoggerFactory.getLogger(CompareToReportFn.class);

  @ProcessElement
  public void process(@Element HashedModel model, OutputReceiver<ReportLine> out) {
    ModelRequest.Expectation expected =
        Objects.requireNonNull(
            model.snapshot().request().expected(), "a verifying request has an expectation");
    String digest = "sha256:" + expected.manifest().subjectDigestHex();
    long files = model.snapshot().files().size();
    long bytes = model.snapshot().totalBytes();
    ReportLine.Status status = ReportLine.Status.VERIFIED;
    List<String> reasons = List.of();
    List<String> ignored = List.of();
    if (!model.ok()) {
      status = ReportLine.Status.ERROR;
      reasons = model.errors();
    } else {
      try {
        ignored = model.compareWithSignature().ignoredUnsignedFiles();
      } catch (VerificationException e) {
        status = ReportLine.Status.FAILED;
        reasons = List.of(e.getMessage());
      }
    }
    LOG.info("{}: {}", model.snapshot().model(), status.label());
    out.output(
        new ReportLine(
            model.snapshot().model(),
            expected.id(),
            expected.policy(),
            status,
            expected.signer(),
            digest,
            expected.signedAt(),
            expected.logIndex(),
            files,
            bytes,
            reasons,
            ignored,
            expected.notes()));
  }
}
