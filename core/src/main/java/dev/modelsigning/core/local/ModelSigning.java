package dev.modelsigning.core.local;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.SignatureExistsException;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.model.LocalModelLister;
import dev.modelsigning.core.model.ModelFile;
import dev.modelsigning.core.model.UnchangedModel;
import dev.modelsigning.core.signing.ModelSigner;
import dev.modelsigning.core.signing.SignatureOwnership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Signs a model on local disk in one call: lists it, hashes it on every core, checks nothing
 * changed meanwhile, signs the statement once and publishes the bundle atomically. The same
 * planner, hasher, statement and atomic write as the Beam pipeline's, on one machine.
 *
 * <pre>{@code
 * SignedModel signed =
 *     ModelSigning.sign(Path.of("my-model"), KeySigner.fromPem(Path.of("key.pem"), null),
 *         ModelSigning.Request.files(Path.of("my-model/model.sig")));
 * }</pre>
 */
public final class ModelSigning {
  private ModelSigning() {}

  /**
   * What to sign and how.
   *
   * @param settings the serialization (method, hash, shard size, symlinks); its ignore paths are
   *     filled in from {@code ignorePaths} and the signature's place
   * @param ignorePaths paths to leave out, relative to the model root
   * @param signature where the bundle goes ({@code model.sig} inside the model by default)
   * @param overwrite replace an existing bundle instead of failing
   * @param hasher how to hash (threads, batches, progress)
   */
  public record Request(
      SerializationSettings settings,
      List<String> ignorePaths,
      Path signature,
      boolean overwrite,
      LocalModelHasher hasher) {
    public Request {
      ignorePaths = List.copyOf(ignorePaths);
    }

    /** Whole files, SHA-256, no symlinks, nothing extra ignored, no overwrite. */
    public static Request files(Path signature) {
      return new Request(
          SerializationSettings.files(
              dev.modelsigning.core.hashing.HashAlgorithm.SHA256, false, List.of()),
          List.of(),
          signature,
          false,
          LocalModelHasher.defaults());
    }
  }

  /**
   * A signed model.
   *
   * @param manifest what was signed
   * @param statement the signed statement bytes
   * @param bundle the bundle written
   * @param files files signed
   * @param bytes bytes signed
   */
  public record SignedModel(
      Manifest manifest, byte[] statement, byte[] bundle, long files, long bytes) {}

  /** The files of a model as signing sees them: the policy's selection, or a usage error. */
  public static List<ModelFile> list(
      Path model, ListingPolicy policy, @Nullable String signatureInModel) {
    List<ModelFile> files = new ArrayList<>();
    for (ModelFile f : policy.select(LocalModelLister.list(model))) {
      if (signatureInModel != null && LocalSignatureFile.isTempFileOf(signatureInModel, f.path())) {
        continue; // another signer publishing right now; never part of a model
      }
      files.add(f);
    }
    return files;
  }

  public static SignedModel sign(Path model, ModelSigner signer, Request request) {
    Path root = model.toAbsolutePath().normalize();
    if (!Files.exists(root)) {
      throw new InvalidInputException("model path '" + model + "' does not exist");
    }
    String signatureInModel =
        LocalSignatureFile.pathInModel(root, request.signature().toAbsolutePath().normalize());
    IgnorePaths ignores = IgnorePaths.of(signatureInModel, request.ignorePaths());
    SerializationSettings settings = withIgnores(request.settings(), ignores.sorted());
    ListingPolicy policy = new ListingPolicy(ignores, settings.allowSymlinks());

    List<ModelFile> files = list(root, policy, signatureInModel);
    Map<String, FileState> before = states(root, files);
    Manifest manifest = request.hasher().hashListed(root, settings, files);
    UnchangedModel.require(before, states(root, list(root, policy, signatureInModel)));

    byte[] statement = StatementWriter.write(manifest);
    byte[] bundle = signer.sign(statement);
    try {
      LocalSignatureFile.write(request.signature(), bundle, request.overwrite());
    } catch (SignatureExistsException e) {
      // A retried job, or an identical one that ran at the same time, already published this
      // signer's signature of this exact statement: that is success, and the bundle stays. A
      // bundle by anyone else, or of another statement, is never taken for ours.
      byte[] existing = readQuietly(request.signature());
      if (existing == null
          || !SignatureOwnership.isOurs(existing, statement, bundle, signer.publicKey())) {
        throw e;
      }
      bundle = existing;
    }
    long bytes = files.stream().mapToLong(ModelFile::size).sum();
    return new SignedModel(manifest, statement, bundle, files.size(), bytes);
  }

  private static byte @Nullable [] readQuietly(Path signature) {
    try {
      return LocalSignatureFile.read(signature);
    } catch (ModelSigningException e) {
      return null;
    }
  }

  static SerializationSettings withIgnores(SerializationSettings s, List<String> ignores) {
    return new SerializationSettings(
        s.method(), s.hashAlgorithm(), s.shardSize(), s.allowSymlinks(), ignores);
  }

  private record FileState(long size, long modified) {}

  private static Map<String, FileState> states(Path root, List<ModelFile> files) {
    Map<String, FileState> out = new TreeMap<>();
    for (ModelFile f : files) {
      Path p = f.path().equals(".") ? root : root.resolve(f.path());
      try {
        out.put(f.path(), new FileState(f.size(), Files.getLastModifiedTime(p).toMillis()));
      } catch (NoSuchFileException e) {
        out.put(f.path(), new FileState(-1, -1));
      } catch (IOException e) {
        throw new ModelSigningException("cannot stat '" + f.path() + "': " + e.getMessage(), e);
      }
    }
    return out;
  }
}
