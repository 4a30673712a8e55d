package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.ResultFiles;
import dev.modelsigning.beam.values.RegistrySummary;
import dev.modelsigning.beam.values.ReportLine;
import dev.modelsigning.core.VerificationException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code <output>/report.jsonl} and {@code <output>/summary.json} and outputs the summary;
 * then, if asked ({@link #failingOnInvalid}), fails the job when any model is not verified, after
 * the report is written, so a scheduler marks the run failed.
 */
public class WriteReport extends PTransform<PCollection<ReportLine>, PCollection<RegistrySummary>> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteReport.class);
  private final String output;
  private final boolean failOnInvalid;

  private WriteReport(String output, boolean failOnInvalid) {
    this.output = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
    this.failOnInvalid = failOnInvalid;
  }

  /** Report under {@code output} (local, gs://, s3://); never inside a model. */
  public static WriteReport to(String output) {
    return new WriteReport(output, false);
  }

  /** Fail the job, after writing the report, when any model is not verified. */
  public WriteReport failingOnInvalid(boolean fail) {
    return new WriteReport(output, fail);
  }

  @Override
  public PCollection<RegistrySummary> expand(PCollection<ReportLine> lines) {
    WriteFilesResult<Void> written =
        lines
            .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(ReportLine::toJson))
            .apply(
                "WriteLines",
                TextIO.write()
                    .to(output + "/report")
                    .withSuffix(".jsonl")
                    .withoutSharding()
                    .withOutputFilenames());
    return lines
        .apply("CountByStatus", Combine.globally(new CountStatuses()))
        .apply("AfterReport", Wait.on(written.getPerDestinationOutputFilenames()))
        .apply("Summarize", ParDo.of(new SummarizeFn(output, failOnInvalid)))
        .setCoder(SerializableCoder.of(RegistrySummary.class));
  }

  /** Counts report lines by status; an empty registry still gets a (zero) summary. */
  static class CountStatuses
      extends Combine.CombineFn<ReportLine, long[], Map<ReportLine.Status, Long>> {
    @Override
    public long[] createAccumulator() {
      return new long[ReportLine.Status.values().length];
    }

    @Override
    public long[] addInput(long[] acc, ReportLine line) {
      acc[line.status().ordinal()]++;
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] sum = createAccumulator();
      for (long[] a : accs) {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += a[i];
        }
      }
      return sum;
    }

    @Override
    public Map<ReportLine.Status, Long> extractOutput(long[] acc) {
      Map<ReportLine.Status, Long> counts = new EnumMap<>(ReportLine.Status.class);
      for (ReportLine.Status s : ReportLine.Status.values()) {
        counts.put(s, acc[s.ordinal()]);
      }
      return counts;
    }
  }

  static class SummarizeFn extends DoFn<Map<ReportLine.Status, Long>, RegistrySummary> {
    private final String output;
    private final boolean failOnInvalid;

    SummarizeFn(String output, boolean failOnInvalid) {
      this.output = output;
      this.failOnInvalid = failOnInvalid;
    }

    @ProcessElement
    public void process(
        @Element Map<ReportLine.Status, Long> counts, OutputReceiver<RegistrySummary> out) {
      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      RegistrySummary summary =
          new RegistrySummary(
              total,
              counts.getOrDefault(ReportLine.Status.VERIFIED, 0L),
              counts.getOrDefault(ReportLine.Status.FAILED, 0L),
              counts.getOrDefault(ReportLine.Status.UNSIGNED, 0L),
              counts.getOrDefault(ReportLine.Status.ERROR, 0L),
              output + "/report.jsonl");
      ResultFiles.write(output + "/summary.json", summary.toJson());
      LOG.info(summary.describe());
      if (failOnInvalid && summary.notVerified() > 0) {
        throw new VerificationException(
            summary.notVerified()
                + " of "
                + total
                + " models did not verify; "
                + summary.describe());
      }
      out.output(summary);
    }
  }
}
