package dev.modelsigning.pipeline.cli;

import dev.modelsigning.core.signing.Pem;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A training run for the launcher's class-data archive ({@code pipeline/bin/model-signing}): signs,
 * verifies and digests a throwaway two-file model with a throwaway key on both engines (in-process
 * and the DirectRunner) and checks it as a registry, in one JVM, so the archive dumped at its exit
 * holds the classes of every command whichever a user runs first. Prints nothing; exits 0 whatever
 * a command returned (an archive of what did load still helps).
 */
public final class StartupTraining {
  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("model-signing-training");
    try {
      Path model = Files.createDirectories(dir.resolve("registry/model"));
      Files.writeString(model.resolve("config.json"), "{\"layers\": 2}");
      Files.write(model.resolve("weights.bin"), new byte[4096]);
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair key = g.generateKeyPair();
      Path privateKey =
          Files.writeString(
              dir.resolve("key.pem"), Pem.encode("PRIVATE KEY", key.getPrivate().getEncoded()));
      Path publicKey =
          Files.writeString(
              dir.resolve("key.pub.pem"), Pem.encode("PUBLIC KEY", key.getPublic().getEncoded()));
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      ModelSigningCli cli = new ModelSigningCli(quiet, quiet);
      for (String engine : new String[] {null, "--runner=DirectRunner"}) {
        run(cli, engine, "digest", "--model=" + model);
        run(
            cli,
            engine,
            "sign",
            "--model=" + model,
            "--signer=key",
            "--privateKey=" + privateKey,
            "--overwrite=true");
        run(
            cli,
            engine,
            "verify",
            "--model=" + model,
            "--verifier=key",
            "--publicKey=" + publicKey);
      }
      run(
          cli,
          null,
          "verify-registry",
          "--registry=" + model.getParent(),
          "--report=" + dir.resolve("report"),
          "--verifier=key",
          "--publicKey=" + publicKey);
    } finally {
      deleteTree(dir);
    }
  }

  private static void run(ModelSigningCli cli, @Nullable String engine, String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    if (engine != null) {
      args.add(engine);
    }
    cli.run(args.toArray(String[]::new));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
