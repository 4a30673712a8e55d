package dev.modelsigning.core.verify;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.model.LocalModelLister;
import dev.modelsigning.core.model.ModelFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Lists a local model that is being verified. A model that exists but holds something the signing
 * rules refuse (a symlink, FIFO, device) does not verify: the content is at fault, not the command,
 * so that is a {@link VerificationException} (exit 1). A missing model path stays an {@link
 * InvalidInputException} (exit 2).
 */
public final class VerifiedModelListing {
  private VerifiedModelListing() {}

  public static List<ModelFile> list(Path root, ListingPolicy policy) {
    return asVerificationFailure(root, () -> policy.select(LocalModelLister.list(root)));
  }

  /** The model's files to re-hash under a verification plan, and the unsigned ones set aside. */
  public static ModelSelection select(Path root, VerificationPlan plan) {
    return asVerificationFailure(root, () -> plan.select(LocalModelLister.list(root)));
  }

  /** Runs a step that reads the model, reporting refused content as a verification failure. */
  public static <T> T asVerificationFailure(Path root, Supplier<T> step) {
    try {
      return step.get();
    } catch (InvalidInputException e) {
      if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new VerificationException(
            Objects.requireNonNull(e.getMessage(), "an InvalidInputException has a message"), e);
      }
      throw e;
    }
  }
}
