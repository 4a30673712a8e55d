package dev.modelsigning.pipeline;

import static dev.modelsigning.pipeline.HostileInputCliTest.assertFailedClearly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelsigning.beam.io.SignatureStore;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around signing: a retried sign step, a crash before publish, readers racing a writer, two
 * jobs signing one model at once, and keyless signing without a usable identity or service.
 */
class FaultToleranceTest {
  @TempDir Path tmp;

  private static Cli sign(Path model, String... extra) {
    return SampleModels.signWithDemoKey(model, extra);
  }

  private static Cli verify(Path model, String... extra) {
    return SampleModels.verifyWithDemoKey(model, extra);
  }

  private static byte[] payload(byte[] bundle) {
    return BundleReader.read(bundle).envelope().payload();
  }

  // ------------------------------------------------------------ the sign step run twice

  // A retried sign step that finds its own first attempt's bundle: see
  // SignVerifyPipelineTest#signingTheSameModelAgainKeepsTheFirstBundleUntouched (both engines).

  /**
   * The same statement signed by ANOTHER key is not an earlier attempt: without --overwrite the job
   * must fail (exit 2) instead of reporting success while the user's signature was never written:
   * the retry check compares the key as well as the statement.
   */
  @Test
  void sameStatementSignedByAnotherKeyIsNotMistakenForARetry() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, sign(model).exitCode());
    Path sig = model.resolve("model.sig");
    byte[] statement = payload(Files.readAllBytes(sig));
    byte[] foreign = KeySigner.of(TestPems.newEcKey("secp384r1")).sign(statement);
    Files.write(sig, foreign);

    Cli again = sign(model);
    assertFailedClearly(again, 2, "already exists", "--overwrite=true");
    assertArrayEquals(foreign, Files.readAllBytes(sig), "the existing file is untouched");
  }

  /** A bundle merely claiming our key's hint, with someone else's signature, is not ours either. */
  @Test
  void bundleClaimingOurKeyHintWithAForeignSignatureIsNotMistakenForARetry() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, sign(model).exitCode());
    Path sig = model.resolve("model.sig");
    String ours = Files.readString(sig);
    KeySigner other = KeySigner.of(TestPems.newEcKey("secp384r1"));
    String forged =
        new String(other.sign(payload(ours.getBytes(StandardCharsets.UTF_8))), UTF8)
            .replace(
                other.keyHint(), KeySigner.fromPem(SampleModels.demoPrivateKey(), null).keyHint());
    assertTrue(forged.contains(KeySigner.fromPem(SampleModels.demoPrivateKey(), null).keyHint()));
    Files.writeString(sig, forged);
    assertFailedClearly(sign(model), 2, "already exists");
    assertEquals(forged, Files.readString(sig));
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  // ------------------------------------------------------------ interrupted write

  /**
   * A crash after the temporary file is written but before it is published leaves the old signature
   * intact; the leftover is not a valid bundle and, when it lies inside the model, verification
   * reports it by name as an unsigned extra file (fail closed) until it is deleted.
   */
  @Test
  void crashBeforePublishLeavesTheOldSignatureIntact() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, sign(model).exitCode());
    Path sig = model.resolve("model.sig");
    byte[] old = Files.readAllBytes(sig);

    // What SignatureStore.writeLocal leaves if the process dies mid-write or before publishing.
    byte[] next = KeySigner.fromPem(SampleModels.demoPrivateKey(), null).sign(payload(old));
    Path leftover = model.resolve(".model.sig.tmp-" + UUID.randomUUID());
    Files.write(leftover, Arrays.copyOf(next, next.length / 2));

    assertArrayEquals(old, Files.readAllBytes(sig));
    assertThrows(
        ModelSigningException.class, () -> BundleReader.read(Files.readAllBytes(leftover)));
    Cli v = verify(model);
    assertFailedClearly(v, 1, "extra (not signed): " + leftover.getFileName());
    // A later sign never signs the leftover (it may be a concurrent signer's, about to vanish),
    // so verification keeps naming it until it is deleted.
    assertEquals(0, sign(model, "--overwrite=true").exitCode());
    assertFalse(
        new String(payload(Files.readAllBytes(sig)), StandardCharsets.UTF_8)
            .contains(leftover.getFileName().toString()));
    assertFailedClearly(verify(model), 1, "extra (not signed): " + leftover.getFileName());
    Files.delete(leftover);
    assertEquals(0, verify(model).exitCode());

    // With the signature kept outside the model, a leftover beside it does not touch the model.
    Path sigs = Files.createDirectory(tmp.resolve("sigs"));
    Path outside = sigs.resolve("model.sig");
    assertEquals(0, sign(model, "--signature=" + outside).exitCode());
    Files.write(sigs.resolve(".model.sig.tmp-" + UUID.randomUUID()), new byte[] {'{'});
    assertEquals(0, verify(model, "--signature=" + outside).exitCode());
  }

  /** Readers racing 200 overwrites see the old bundle or the new one, never a torn file. */
  @Test
  void readersNeverSeeAPartialSignature() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    assertEquals(0, sign(model).exitCode());
    Path sig = model.resolve("model.sig");
    byte[] statement = payload(Files.readAllBytes(sig));
    KeySigner demo = KeySigner.fromPem(SampleModels.demoPrivateKey(), null);
    // Two valid bundles of different lengths (a big one makes a torn write likelier to show).
    byte[] small = demo.sign(statement);
    byte[] big = demo.sign((new String(statement, UTF8) + " ".repeat(200_000)).getBytes(UTF8));

    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    List<String> bad = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              while (!done.get()) {
                try {
                  byte[] b = Files.readAllBytes(sig);
                  BundleReader.read(b);
                  reads.incrementAndGet();
                } catch (Exception e) {
                  synchronized (bad) {
                    bad.add(e.toString());
                  }
                }
              }
            });
    reader.start();
    for (int i = 0; i < 200; i++) {
      SignatureStore.write(
          sig.toString(), i % 2 == 0 ? big : small, true, PipelineOptionsFactory.create());
    }
    done.set(true);
    reader.join(10_000);
    assertEquals(List.of(), bad);
    assertTrue(reads.get() > 0, "the reader ran");
    try (Stream<Path> s = Files.list(model)) {
      assertEquals(List.of(), s.filter(p -> p.toString().contains(".tmp-")).toList());
    }
    System.out.println(reads.get() + " concurrent reads, all complete bundles");
  }

  // ------------------------------------------------------------ two jobs at once

  /** Two jobs signing different statements at once: exactly one wins, the other is refused. */
  @Test
  void twoJobsSigningTheSameModelAtOnceExactlyOneWins() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    List<Cli> results = race(() -> sign(model), () -> sign(model, "--hashAlgorithm=blake2b"));
    List<Integer> codes = results.stream().map(Cli::exitCode).sorted().toList();
    assertEquals(List.of(0, 2), codes, results.toString());
    Cli loser = results.stream().filter(c -> c.exitCode() == 2).findFirst().orElseThrow();
    assertFailedClearly(loser, 2, "already exists");
    assertEquals(0, verify(model).exitCode());
    try (Stream<Path> s = Files.list(model)) {
      assertEquals(List.of(), s.filter(p -> p.toString().contains(".tmp-")).toList());
    }
  }

  /**
   * Two jobs signing the very same statement with the same key at once are indistinguishable from a
   * retry: both succeed, one bundle is published and it verifies.
   */
  @Test
  void twoIdenticalJobsAtOnceBothSucceedWithOneBundle() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    List<Cli> results = race(() -> sign(model), () -> sign(model));
    for (Cli c : results) {
      assertEquals(0, c.exitCode(), c.all());
    }
    assertEquals(0, verify(model).exitCode());
  }

  private static List<Cli> race(
      java.util.concurrent.Callable<Cli> a, java.util.concurrent.Callable<Cli> b) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Cli>> fs = new ArrayList<>();
      for (var job : List.of(a, b)) {
        fs.add(
            pool.submit(
                () -> {
                  go.await();
                  return job.call();
                }));
      }
      go.countDown();
      List<Cli> out = new ArrayList<>();
      for (Future<Cli> f : fs) {
        out.add(f.get(5, TimeUnit.MINUTES));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------ keyless without what it needs

  private static Cli keyless(Path model, Path trustedRoot, Path signingConfig, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sign",
                "--model=" + model,
                "--signer=sigstore",
                "--sigstoreInstance=custom",
                "--trustedRoot=" + trustedRoot,
                "--signingConfig=" + signingConfig));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  /** An unsigned-looking JWT: enough for the client to read its claims. */
  private static String jwt(long expEpochSeconds) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(UTF8));
    String claims =
        b64.encodeToString(
            ("{\"iss\":\"https://issuer.invalid\",\"sub\":\"someone\",\"aud\":\"sigstore\",\"exp\":"
                    + expEpochSeconds
                    + "}")
                .getBytes(UTF8));
    return header + "." + claims + "." + b64.encodeToString(new byte[32]);
  }

  /**
   * A keyless retry gets a new certificate (new ephemeral key) for the same identity: the first
   * attempt's bundle is recognised by identity and kept; another identity's bundle is not.
   */
  @Test
  void retriedKeylessSignStepKeepsTheFirstAttemptsBundleOnlyForTheSameIdentity() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Path sig = model.resolve("model.sig");
    try (OidcTestIssuer issuer = new OidcTestIssuer();
        LoopbackSigstore sigstore =
            LoopbackSigstore.builder(issuer.issuerUrl()).directory(tmp.resolve("live")).start()) {
      Path ours = Files.writeString(tmp.resolve("ours.jwt"), issuer.token("ci@example.com"));
      Path theirs = Files.writeString(tmp.resolve("theirs.jwt"), issuer.token("x@example.com"));
      String[] asUs = {"--identityTokenSource=file", "--identityTokenFile=" + ours};
      Cli first = keyless(model, sigstore.trustedRoot(), sigstore.signingConfig(), asUs);
      assertEquals(0, first.exitCode(), first.all());
      byte[] published = Files.readAllBytes(sig);

      Cli retry = keyless(model, sigstore.trustedRoot(), sigstore.signingConfig(), asUs);
      assertEquals(0, retry.exitCode(), retry.all());
      assertArrayEquals(published, Files.readAllBytes(sig));

      Cli other =
          keyless(
              model,
              sigstore.trustedRoot(),
              sigstore.signingConfig(),
              "--identityTokenSource=file",
              "--identityTokenFile=" + theirs);
      assertFailedClearly(other, 2, "already exists");
      assertArrayEquals(published, Files.readAllBytes(sig));
    }
  }

  @Test
  void keylessFailuresAreClearAndWriteNothing() throws Exception {
    Path model = SampleModels.copyOfSample(tmp, "model");
    Path sig = model.resolve("model.sig");
    try (OidcTestIssuer issuer = new OidcTestIssuer();
        LoopbackSigstore sigstore =
            LoopbackSigstore.builder(issuer.issuerUrl()).directory(tmp.resolve("live")).start()) {
      // 1. Expired identity token: the certificate authority refuses it and the CLI says why.
      Path expired =
          Files.writeString(
              tmp.resolve("expired.jwt"),
              issuer.token(
                  SignVerifyPipelineTest.class.getSimpleName(), "sigstore", -120, Map.of()));
      Cli e =
          keyless(
              model,
              sigstore.trustedRoot(),
              sigstore.signingConfig(),
              "--identityTokenSource=file",
              "--identityTokenFile=" + expired);
      assertFailedClearly(e, 2, "expired", sigstore.fulcioUrl().toString());
      assertFalse(e.all().contains(Files.readString(expired).strip()), "token printed");
      assertFalse(Files.exists(sig));
    }

    // 2. Sigstore unreachable: a signing config pointing at a closed 127.0.0.1 port.
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    Path dead = Files.createDirectory(tmp.resolve("dead"));
    Path trustedRoot;
    Path signingConfig;
    try (LoopbackSigstore gone =
        LoopbackSigstore.builder("https://issuer.invalid").directory(dead).start()) {
      trustedRoot = gone.trustedRoot();
      signingConfig = gone.signingConfig();
    }
    String config =
        Files.readString(signingConfig)
            .replaceAll("http://127\\.0\\.0\\.1:\\d+", "http://127.0.0.1:" + closed);
    Files.writeString(signingConfig, config);
    Path valid =
        Files.writeString(tmp.resolve("valid.jwt"), jwt(System.currentTimeMillis() / 1000 + 600));
    Cli unreachable =
        keyless(
            model,
            trustedRoot,
            signingConfig,
            "--identityTokenSource=file",
            "--identityTokenFile=" + valid);
    assertFailedClearly(unreachable, 1, "http://127.0.0.1:" + closed);
    assertFalse(Files.exists(sig));
    System.out.println("unreachable: " + unreachable.err().strip());

    // 3. Expired token and nothing reachable: the error still says which service failed.
    Path old = Files.writeString(tmp.resolve("old.jwt"), jwt(1_000_000_000L));
    Cli both =
        keyless(
            model,
            trustedRoot,
            signingConfig,
            "--identityTokenSource=file",
            "--identityTokenFile=" + old);
    assertFailedClearly(both, 1, "http://127.0.0.1:" + closed);
    assertFalse(Files.exists(sig));

    // 4. No credential: --identityTokenSource=env with SIGSTORE_ID_TOKEN unset.
    assumeTrue(System.getenv("SIGSTORE_ID_TOKEN") == null, "SIGSTORE_ID_TOKEN is set here");
    Cli none = keyless(model, trustedRoot, signingConfig, "--identityTokenSource=env");
    assertFailedClearly(none, 2, "SIGSTORE_ID_TOKEN");
    assertFalse(Files.exists(sig));
    System.out.println("no token: " + none.err().strip());
  }
}
