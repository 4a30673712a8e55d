package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.SignatureStore;
import dev.modelsigning.beam.spec.RegistryPolicy;
import dev.modelsigning.beam.values.FoundModel;
import dev.modelsigning.beam.values.ModelLocation;
import dev.modelsigning.beam.values.ModelRequest;
import dev.modelsigning.beam.values.ReportLine;
import dev.modelsigning.beam.values.VerifyRequest;
import dev.modelsigning.core.VerificationException;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Checks one registry model's signature. A model whose bundle is missing, malformed or untrusted
 * becomes its report line here; the others go on to be re-hashed, labelled with the model's id and
 * the name of the policy rule applied.
 */
class CheckSignatureFn extends DoFn<FoundModel, ModelRequest> {
  static final TupleTag<ModelRequest> TO_HASH = new TupleTag<>() {};
  static final TupleTag<ReportLine> DECIDED = new TupleTag<>() {};

  private final RegistryPolicy policy;
  private final List<String> userIgnorePaths;

  CheckSignatureFn(RegistryPolicy policy, List<String> userIgnorePaths) {
    this.policy = policy;
    this.userIgnorePaths = List.copyOf(userIgnorePaths);
  }

  @ProcessElement
  public void process(@Element FoundModel model, MultiOutputReceiver out) {
    if (model.signature() == null || !SignatureStore.exists(model.signature())) {
      out.get(DECIDED)
          .output(
              ReportLine.problem(
                  model, model.policy(), ReportLine.Status.UNSIGNED, "no signature file"));
      return;
    }
    String policyName = model.policy();
    try {
      RegistryPolicy.Rule rule = policy.ruleFor(model.root(), model.policy());
      policyName = rule.name();
      VerifyRequest request =
          new VerifyRequest(
              ModelLocation.of(model.root()),
              model.signature(),
              userIgnorePaths,
              rule.unsignedFiles());
      out.get(TO_HASH)
          .output(
              ReadSignatureFn.toModelRequest(request, rule.spec())
                  .labelled(model.id(), policyName));
    } catch (RuntimeException e) {
      out.get(DECIDED).output(ReportLine.problem(model, policyName, statusOf(e), messageOf(e)));
    }
  }

  /** Verification failures are the model's fault; anything else means it could not be checked. */
  static ReportLine.Status statusOf(Throwable e) {
    return e instanceof VerificationException ? ReportLine.Status.FAILED : ReportLine.Status.ERROR;
  }

  static String messageOf(Throwable e) {
    return e instanceof dev.modelsigning.core.ModelSigningException
        ? Objects.requireNonNull(e.getMessage(), "a ModelSigningException has a message")
        : e.toString();
  }
}
