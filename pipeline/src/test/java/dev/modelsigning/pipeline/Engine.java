package dev.modelsigning.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * The two engines a CLI command can run on, for tests that must hold on both: the in-process engine
 * (the default for local models) and the Beam graph on the DirectRunner.
 */
enum Engine {
  IN_PROCESS(),
  DIRECT_RUNNER("--runner=DirectRunner");

  private final List<String> options;

  Engine(String... options) {
    this.options = List.of(options);
  }

  /** The engine's options, to append to a command. */
  String[] options() {
    return options.toArray(String[]::new);
  }

  /** The command with this engine's options appended. */
  String[] command(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(options);
    return all.toArray(String[]::new);
  }
}
