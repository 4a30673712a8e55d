package dev.modelsigning.pipeline;

import dev.modelsigning.core.testing.Interop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test models: a copy of the README's sample model, and generated shapes. */
public final class SampleModels {
  private SampleModels() {}

  /** The repository's pipeline/sample directory. */
  public static Path sampleDir() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    Path dir = here.resolve("sample");
    return Files.isDirectory(dir) ? dir : here.resolve("pipeline/sample");
  }

  public static Path demoPrivateKey() {
    return sampleDir().resolve("keys/demo-private-key.pem");
  }

  public static Path demoPublicKey() {
    return sampleDir().resolve("keys/demo-public-key.pem");
  }

  /** A fresh copy of the sample model under {@code parent}, safe to modify. */
  public static Path copyOfSample(Path parent, String name) {
    Path source = sampleDir().resolve("sample-model");
    Path target = parent.resolve(name);
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : walk.toList()) {
        if (p.getFileName().toString().equals("model.sig")) {
          continue;
        }
        Path t = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** Flips one bit of one byte of a file, in place. */
  public static void flipByte(Path file, int offset) {
    try {
      byte[] b = Files.readAllBytes(file);
      b[offset] ^= 1;
      Files.write(file, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Cli signWithDemoKey(Path model, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "sign",
                "--model=" + model,
                "--signer=key",
                "--privateKey=" + SampleModels.demoPrivateKey()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  public static Cli signWithInteropCertificate(Path model, String... extra) {
    Path keys = Interop.certificateKeys();
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "sign",
                "--model=" + model,
                "--signer=certificate",
                "--privateKey=" + keys.resolve("signing-key.pem"),
                "--signingCertificate=" + keys.resolve("signing-key-cert.pem"),
                "--certificateChain=" + keys.resolve("int-ca-cert.pem")));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  public static Cli verifyWithDemoKey(Path model, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "verify",
                "--model=" + model,
                "--verifier=key",
                "--publicKey=" + SampleModels.demoPublicKey()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }
}
