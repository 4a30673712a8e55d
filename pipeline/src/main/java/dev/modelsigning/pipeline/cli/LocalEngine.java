package dev.modelsigning.pipeline.cli;

import dev.modelsigning.beam.spec.SignerSettings;
import dev.modelsigning.beam.spec.SignerSpec;
import dev.modelsigning.beam.spec.VerifierSettings;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.format.StatementFormat;
import dev.modelsigning.core.hashing.HashAlgorithm;
import dev.modelsigning.core.local.HashProgress;
import dev.modelsigning.core.local.LocalModelHasher;
import dev.modelsigning.core.local.LocalSignatureFile;
import dev.modelsigning.core.local.ModelSigning;
import dev.modelsigning.core.manifest.HashingMethod;
import dev.modelsigning.core.manifest.Manifest;
import dev.modelsigning.core.manifest.SerializationSettings;
import dev.modelsigning.core.model.IgnorePaths;
import dev.modelsigning.core.model.ListingPolicy;
import dev.modelsigning.core.model.LocalModelLister;
import dev.modelsigning.core.model.ModelFile;
import dev.modelsigning.core.verify.ModelVerifier;
import dev.modelsigning.core.verify.UnsignedFiles;
import dev.modelsigning.core.verify.VerificationResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs sign, verify and digest on a local model inside this process, on every core, with the same
 * core planner, hasher, statement, signers and atomic write as the Beam pipeline, and without
 * starting Beam: what a user on one machine gets by default.
 */
final class LocalEngine {
  /** Options that name a file; the engine runs only when every one of them is local. */
  private static final Set<String> LOCATIONS =
      Set.of(
          "model",
          "signature",
          "privateKey",
          "privateKeyPasswordFile",
          "signingCertificate",
          "certificateChain",
          "publicKey",
          "caCertificates",
          "trustedRoot",
          "signingConfig",
          "identityTokenFile",
          "resultFile",
          "registry",
          "modelList",
          "policyFile",
          "report");

  private LocalEngine() {}

  /**
   * No runner and no other Beam option asked for (Beam's parser then checks them, so a misspelt
   * option is never silently ignored), and everything the command names is on this machine's disk.
   */
  static boolean canRun(ParsedCommand c) {
    if (!c.beamArgs().isEmpty() || c.command().equals("verify-registry")) {
      return false;
    }
    return allLocationsLocal(c);
  }

  /** Whether every location the command names is on this machine's disk. */
  static boolean allLocationsLocal(ParsedCommand c) {
    for (String name : LOCATIONS) {
      for (String value : c.list(name)) {
        if (value.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !value.startsWith("file:")) {
          return false;
        }
      }
    }
    return true;
  }

  static ModelResult run(ParsedCommand c, @Nullable HashProgress progress) {
    Path model = path(c.require("model"));
    if (!Files.exists(model, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException("model path '" + model + "' does not exist");
    }
    return switch (c.command()) {
      case "sign" -> sign(c, model, progress);
      case "verify" -> verify(c, model);
      case "digest" -> digest(c, model, progress);
      default -> throw new InvalidInputException("unknown command " + c.command());
    };
  }

  private static ModelResult sign(ParsedCommand c, Path model, @Nullable HashProgress progress) {
    Path signature = signature(c, model);
    SignerSpec spec = signerSettings(c).toSpec();
    List<String> ignores = ignorePaths(c, model);
    ModelSigning.SignedModel signed =
        ModelSigning.sign(
            model,
            spec.create(),
            new ModelSigning.Request(
                settings(c),
                ignores,
                signature,
                c.flag("overwrite"),
                LocalModelHasher.defaults().withProgress(progress)));
    return new ModelResult(
        ModelResult.Action.SIGNED,
        model.toString(),
        "sha256:" + signed.manifest().subjectDigestHex(),
        signed.files(),
        signed.bytes(),
        signed.manifest().resources().size(),
        signature.toString(),
        spec.describe(),
        List.of(),
        List.of());
  }

  private static ModelResult verify(ParsedCommand c, Path model) {
    Path signature = signature(c, model);
    var verifier = verifierSettings(c).toSpec().create();
    VerificationResult r =
        ModelVerifier.verify(
            model,
            LocalSignatureFile.read(signature),
            verifier,
            LocalSignatureFile.pathInModel(model, signature),
            relativeIgnorePaths(c, model),
            c.flag("ignoreUnsignedFiles") ? UnsignedFiles.IGNORE : UnsignedFiles.REFUSE);
    List<String> notes = new ArrayList<>(r.notes());
    if (r.format() == StatementFormat.LEGACY_V0_2) {
      notes.add(
          "the signature uses model_signing v0.2's legacy format (per-file subjects, no model"
              + " name); re-sign the model to get a current signature");
    }
    return new ModelResult(
        ModelResult.Action.VERIFIED,
        model.toString(),
        "sha256:" + r.subjectDigestHex(),
        r.fileCount(),
        r.byteCount(),
        r.fileCount(),
        signature.toString(),
        r.signer(),
        r.ignoredUnsignedFiles(),
        notes);
  }

  /**
   * As model_signing's digest does: the signature file is hashed like any other file unless it is
   * ignored explicitly (--ignorePaths=model.sig).
   */
  private static ModelResult digest(ParsedCommand c, Path model, @Nullable HashProgress progress) {
    List<String> ignores = ignorePaths(c, model);
    SerializationSettings settings = settings(c);
    List<ModelFile> files =
        new ListingPolicy(IgnorePaths.of(null, ignores), settings.allowSymlinks())
            .select(LocalModelLister.list(model));
    Manifest m =
        LocalModelHasher.defaults().withProgress(progress).hashListed(model, settings, files);
    return new ModelResult(
        ModelResult.Action.DIGESTED,
        model.toString(),
        "sha256:" + m.subjectDigestHex(),
        files.size(),
        files.stream().mapToLong(ModelFile::size).sum(),
        m.resources().size(),
        null,
        null,
        List.of(),
        List.of());
  }

  static SerializationSettings settings(ParsedCommand c) {
    HashingMethod method = HashingMethod.fromLabel(c.require("method"));
    HashAlgorithm hash = HashAlgorithm.fromLabel(c.require("hashAlgorithm"));
    long shardSize = Long.parseLong(c.require("shardSize"));
    if (method == HashingMethod.SHARDS && shardSize <= 0) {
      throw new InvalidInputException("--shardSize must be a positive number of bytes");
    }
    return new SerializationSettings(method, hash, shardSize, c.flag("allowSymlinks"), List.of());
  }

  /** --signature, or model.sig inside a directory model, or file.sig beside a file. */
  static Path signature(ParsedCommand c, Path model) {
    String explicit = c.text("signature");
    if (explicit != null && !explicit.isEmpty()) {
      return path(explicit);
    }
    return Files.isDirectory(model)
        ? model.resolve("model.sig")
        : model.resolveSibling(model.getFileName() + ".sig");
  }

  /**
   * Ignore paths are relative to the model root (or absolute paths inside it); one that names
   * nothing under the model is a mistake (model_signing resolves them against the working directory
   * instead, where a typo silently ignores nothing).
   */
  static List<String> ignorePaths(ParsedCommand c, Path model) {
    List<String> relative = relativeIgnorePaths(c, model);
    for (String p : relative) {
      if (!Files.exists(model.resolve(p), LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(
            "ignore path '"
                + p
                + "' names nothing under the model '"
                + model
                + "' (ignore paths are relative to the model root)");
      }
    }
    return relative;
  }

  private static List<String> relativeIgnorePaths(ParsedCommand c, Path model) {
    List<String> out = new ArrayList<>();
    for (String p : c.list("ignorePaths")) {
      String trimmed = p.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      Path given = Path.of(trimmed);
      if (given.isAbsolute()) {
        Path abs = given.normalize();
        if (!abs.startsWith(model) || abs.equals(model)) {
          throw new InvalidInputException("ignore path '" + p + "' is not inside the model");
        }
        out.add(model.relativize(abs).toString().replace('\\', '/'));
      } else {
        out.add(trimmed);
      }
    }
    return out;
  }

  private static Path path(String location) {
    Path p =
        location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
    return p.toAbsolutePath().normalize();
  }

  static SignerSettings signerSettings(ParsedCommand c) {
    return new SignerSettings(
        c.text("signer"),
        c.text("privateKey"),
        c.text("privateKeyPasswordFile"),
        c.text("privateKeyPasswordEnv"),
        c.text("signingCertificate"),
        c.list("certificateChain"),
        c.text("sigstoreInstance"),
        c.text("signingConfig"),
        c.text("trustedRoot"),
        c.text("identityTokenSource"),
        c.text("identityTokenFile"),
        c.text("pkcs11Uri"),
        c.text("pkcs11Module"),
        c.text("kmsKey"),
        c.text("kmsRegion"),
        c.text("kmsEndpoint"));
  }

  static VerifierSettings verifierSettings(ParsedCommand c) {
    return new VerifierSettings(
        c.text("verifier"),
        c.text("publicKey"),
        c.list("caCertificates"),
        c.text("certificateValidity"),
        c.text("identity"),
        c.text("identityRegexp"),
        c.text("identityProvider"),
        c.text("identityProviderRegexp"),
        c.text("sigstoreInstance"),
        c.text("trustedRoot"));
  }
}
