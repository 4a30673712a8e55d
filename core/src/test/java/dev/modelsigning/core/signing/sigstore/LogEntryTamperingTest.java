package dev.modelsigning.core.signing.sigstore;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.VerificationException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.testing.LoopbackSigstore;
import dev.modelsigning.core.testing.OidcTestIssuer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each part of a Rekor v2 log entry that verification relies on, changed in a real bundle from the
 * loopback Rekor v2: every change is refused, by the check that owns that part.
 */
class LogEntryTamperingTest {
  static final String IDENTITY = KeylessRoundTripTest.IDENTITY;

  static OidcTestIssuer issuer;
  static LoopbackSigstore sigstore;
  static byte[] bundle;

  @BeforeAll
  static void start() {
    issuer = new OidcTestIssuer();
    sigstore = LoopbackSigstore.builder(issuer.issuerUrl()).withRekorV2(true).start();
    var signer =
        new SigstoreKeylessSigner(
            sigstore.instance(), IdentityTokenSource.of(issuer.token(IDENTITY)));
    signer.sign(KeylessRoundTripTest.STATEMENT);
    signer.sign(KeylessRoundTripTest.STATEMENT);
    // the third of three entries: its audit path is not empty
    bundle = signer.sign(KeylessRoundTripTest.STATEMENT);
  }

  @AfterAll
  static void stop() {
    if (sigstore != null) {
      sigstore.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  /**
   * Applies {@code change} to the bundle's log entry and expects a refusal naming {@code check}.
   */
  static void refused(Consumer<ObjectNode> change, String check) throws Exception {
    ObjectNode json = (ObjectNode) Json.MAPPER.readTree(bundle);
    change.accept((ObjectNode) json.path("verificationMaterial").path("tlogEntries").get(0));
    byte[] tampered = Json.MAPPER.writeValueAsBytes(json);
    var verifier =
        new SigstoreBundleVerifier(
            new KeylessIdentityPolicy(
                IDENTITY, issuer.issuerUrl(), SigstoreTrustRoot.fromFile(sigstore.trustedRoot())));
    var e =
        assertThrows(
            VerificationException.class, () -> verifier.verify(BundleReader.read(tampered)));
    assertTrue(e.getMessage().contains(check), e.getMessage());
  }

  static String checkpoint(ObjectNode entry) {
    return entry.path("inclusionProof").path("checkpoint").path("envelope").asText();
  }

  static void checkpoint(ObjectNode entry, String envelope) {
    ((ObjectNode) entry.path("inclusionProof").path("checkpoint")).put("envelope", envelope);
  }

  static ObjectNode body(ObjectNode entry) {
    try {
      return (ObjectNode)
          Json.MAPPER.readTree(
              Base64.getDecoder().decode(entry.path("canonicalizedBody").asText()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void body(ObjectNode entry, ObjectNode body) {
    try {
      entry.put(
          "canonicalizedBody",
          Base64.getEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(body)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anAuditPathHash() throws Exception {
    refused(
        entry -> {
          ArrayNode hashes = (ArrayNode) entry.path("inclusionProof").path("hashes");
          byte[] h = Base64.getDecoder().decode(hashes.get(0).asText());
          h[0] ^= 1;
          hashes.set(0, Base64.getEncoder().encodeToString(h));
        },
        "inclusion proof: the entry's audit path does not lead to the checkpoint's root hash");
  }

  @Test
  void theNumberOfAuditPathHashes() throws Exception {
    refused(
        entry ->
            ((ArrayNode) entry.path("inclusionProof").path("hashes"))
                .add(Base64.getEncoder().encodeToString(new byte[32])),
        "is too many for this tree");
  }

  @Test
  void theLoggedBody() throws Exception {
    refused(
        entry -> {
          ObjectNode body = body(entry);
          ((ObjectNode) body.path("spec").path("hashedRekordV002").path("data"))
              .put("digest", Base64.getEncoder().encodeToString(new byte[32]));
          body(entry, body);
        },
        "differs at 'spec.hashedRekordV002.data.digest'");
  }

  @Test
  void theCheckpointText() throws Exception {
    refused(
        entry -> {
          String[] lines = checkpoint(entry).split("\n", -1);
          lines[1] = Long.toString(Long.parseLong(lines[1]) + 1);
          checkpoint(entry, String.join("\n", lines));
        },
        "checkpoint signature does not verify");
  }

  @Test
  void theCheckpointSignature() throws Exception {
    refused(
        entry -> {
          String envelope = checkpoint(entry);
          int at = envelope.lastIndexOf(' ') + 1;
          byte[] sig = Base64.getDecoder().decode(envelope.substring(at).trim());
          sig[sig.length - 1] ^= 1;
          checkpoint(
              entry, envelope.substring(0, at) + Base64.getEncoder().encodeToString(sig) + "\n");
        },
        "checkpoint signature does not verify");
  }

  /** A note signed only by someone else (a witness, another log) proves nothing. */
  @Test
  void aCheckpointWithoutTheLogSignature() throws Exception {
    refused(
        entry -> {
          String envelope = checkpoint(entry);
          String text = envelope.substring(0, envelope.indexOf("\n\n") + 2);
          byte[] witness = new byte[68];
          checkpoint(
              entry,
              text
                  + "\u2014 witness.example "
                  + Base64.getEncoder().encodeToString(witness)
                  + "\n");
        },
        "carries no signature by the key of");
  }

  @Test
  void theRootHashInTheProof() throws Exception {
    refused(
        entry ->
            ((ObjectNode) entry.path("inclusionProof"))
                .put("rootHash", Base64.getEncoder().encodeToString(new byte[32])),
        "is not the one the checkpoint signs");
  }

  @Test
  void theLogIndex() throws Exception {
    refused(entry -> entry.put("logIndex", "7"), "inclusion proof is for index");
  }

  @Test
  void theLogId() throws Exception {
    refused(
        entry ->
            ((ObjectNode) entry.path("logId"))
                .put("keyId", Base64.getEncoder().encodeToString(new byte[32])),
        "does not list");
  }

  @Test
  void theKindVersion() throws Exception {
    refused(
        entry -> ((ObjectNode) entry.path("kindVersion")).put("kind", "dsse"),
        "kindVersion says dsse/0.0.2 but the logged body is hashedrekord/0.0.2");
  }

  @Test
  void aMalformedCheckpoint() throws Exception {
    refused(
        entry -> checkpoint(entry, checkpoint(entry).replace("\n\n", "\n")),
        "checkpoint is malformed");
  }

  @Test
  void anUnsupportedKind() throws Exception {
    refused(
        entry -> {
          ((ObjectNode) entry.path("kindVersion")).put("kind", "rekord");
          ObjectNode body = body(entry);
          body.put("kind", "rekord");
          body(entry, body);
        },
        "rekord/0.0.2 is not supported");
  }

  /** Not tampering: the untouched bundle verifies, so the refusals above are the changes'. */
  @Test
  void theUntouchedBundleVerifies() {
    var verifier =
        new SigstoreBundleVerifier(
            new KeylessIdentityPolicy(
                IDENTITY, issuer.issuerUrl(), SigstoreTrustRoot.fromFile(sigstore.trustedRoot())));
    assertTrue(new String(verifier.verify(bundle), StandardCharsets.UTF_8).contains("in-toto.io"));
  }
}
