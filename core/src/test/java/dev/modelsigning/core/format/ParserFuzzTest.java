package dev.modelsigning.core.format;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelsigning.core.ModelSigningException;

/**
 * Jazzer fuzz target for everything a verifier parses before it trusts anything: the bundle, and
 * the statement inside it. The only acceptable failure is a {@link ModelSigningException}; any
 * other throwable (NullPointerException, ClassCastException, StackOverflowError, OutOfMemoryError,
 * ...) escapes and fails the test.
 *
 * <p>In a normal build this replays the seeds in {@code ParserFuzzTestInputs/bundleAndStatement}
 * (real bundles and a statement). To fuzz: {@code JAZZER_FUZZ=1 mvn -pl core test
 * -Dtest=ParserFuzzTest}; findings are written beside the seeds and then replayed by every build.
 * {@link ParserMutationTest} runs a bounded structure-aware mutation loop in every build.
 */
class ParserFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void bundleAndStatement(byte[] data) {
    ParserMutationTest.parseBoth(data);
  }
}
