package dev.modelsigning.beam.transforms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.beam.io.JobResult;
import dev.modelsigning.beam.values.ReportLine;
import dev.modelsigning.core.VerificationException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code <output>/report.jsonl} and {@code <output>/summary.json}; then, if asked, fails the
 * job when any model is not verified, so a scheduler marks the run failed.
 */
public class WriteReport extends PTransform<PCollection<ReportLine>, PDone> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteReport.class);
  private final String output;
  private final boolean failOnInvalid;
  private final String resultFile;

  public WriteReport(String output, boolean failOnInvalid, String resultFile) {
    this.output = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
    this.failOnInvalid = failOnInvalid;
    this.resultFile = resultFile;
  }

  @Override
  public PDone expand(PCollection<ReportLine> lines) {
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
    lines
        .apply("CountByStatus", Combine.globally(new CountStatuses()))
        .apply("AfterReport", Wait.on(written.getPerDestinationOutputFilenames()))
        .apply("Summarize", ParDo.of(new SummarizeFn(output, failOnInvalid, resultFile)));
    return PDone.in(lines.getPipeline());
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

  static class SummarizeFn extends DoFn<Map<ReportLine.Status, Long>, Void> {
    private final String output;
    private final boolean failOnInvalid;
    private final String resultFile;

    SummarizeFn(String output, boolean failOnInvalid, String resultFile) {
      this.output = output;
      this.failOnInvalid = failOnInvalid;
      this.resultFile = resultFile;
    }

    @ProcessElement
    public void process(@Element Map<ReportLine.Status, Long> counts) {
      ObjectNode summary = JobResult.newResult();
      long total = 0;
      for (Map.Entry<ReportLine.Status, Long> e : counts.entrySet()) {
        summary.put(e.getKey().label(), e.getValue());
        total += e.getValue();
      }
      long notVerified = total - counts.get(ReportLine.Status.VERIFIED);
      summary.put("models", total);
      summary.put("report", output + "/report.jsonl");
      JobResult.write(output + "/summary.json", summary);
      JobResult.write(resultFile, summary);
      String line =
          String.format(
              "%d models: %d verified, %d failed, %d unsigned, %d error; report %s/report.jsonl",
              total,
              counts.get(ReportLine.Status.VERIFIED),
              counts.get(ReportLine.Status.FAILED),
              counts.get(ReportLine.Status.UNSIGNED),
              counts.get(ReportLine.Status.ERROR),
              output);
      LOG.info(line);
      if (failOnInvalid && notVerified > 0) {
        throw new VerificationException(
            notVerified + " of " + total + " models did not verify; " + line);
      }
    }
  }
}
