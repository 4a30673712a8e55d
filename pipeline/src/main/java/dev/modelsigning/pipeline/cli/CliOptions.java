package dev.modelsigning.pipeline.cli;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of the command line itself; they never reach a pipeline. */
public interface CliOptions extends PipelineOptions {
  @Description(
      "How the result is printed: text (a digest line on stdout, counts on stderr) or json (one"
          + " JSON object on stdout: digest, files, bytes, signature, signer, outcome).")
  @Default.String("text")
  String getOutput();

  void setOutput(String value);

  @Description(
      "Seconds between progress lines (bytes hashed of bytes listed, rate, time left) on stderr"
          + " while a local model is hashed; 0 turns them off.")
  @Default.Double(2.0)
  double getProgressInterval();

  void setProgressInterval(double value);
}
