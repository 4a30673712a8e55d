package dev.modelsigning.beam.spec;

import dev.modelsigning.core.verify.SignatureVerifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Builds each verifier once per worker (JVM), however many models and bundles it checks: parsing a
 * trust root, or fetching public good's over TUF, is paid once, not once per model. Specs compare
 * by content, so two rules of a registry policy that trust the same key share one verifier.
 */
public final class Verifiers {
  private static final Map<VerifierSpec, SignatureVerifier> BUILT = new ConcurrentHashMap<>();

  /** Counts builds (so a test can tell "once per worker" from "once per model"). */
  private static final Counter BUILDS = Metrics.counter("model-signing", "verifiersBuilt");

  private Verifiers() {}

  public static SignatureVerifier of(VerifierSpec spec) {
    SignatureVerifier existing = BUILT.get(spec);
    if (existing != null) {
      return existing;
    }
    // Built outside computeIfAbsent: a TUF fetch must not hold the map's lock. Two threads may
    // race to build the same one; the first stored wins and the other is dropped.
    SignatureVerifier built = spec.create();
    SignatureVerifier winner = BUILT.putIfAbsent(spec, built);
    if (winner == null) {
      BUILDS.inc();
      return built;
    }
    return winner;
  }
}
