/**
 * The {@code model-signing} command line: {@link dev.modelsigning.pipeline.cli.ModelSigningCli}
 * parses both spellings (this project's {@code --name=value} and model_signing's {@code sign key
 * MODEL --private-key ...}), then runs a command on the in-process engine ({@code LocalEngine}, for
 * models on this machine's disk) or as a Beam pipeline ({@code BeamEngine}, for object storage or
 * any {@code --runner}), and prints the result as text or JSON.
 */
@NullMarked
package dev.modelsigning.pipeline.cli;

import org.jspecify.annotations.NullMarked;
