package dev.modelsigning.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.signing.CertificateSigner;
import dev.modelsigning.core.signing.KeySigner;
import dev.modelsigning.core.testing.Interop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our bundles have exactly the layout model_signing v1.1.0 writes: same fields, same order, same
 * value types, same hint and certificates for the same key material.
 */
class BundleShapeTest {
  @TempDir Path dir;

  @Test
  void keyBundleMatchesModelSigningV110() {
    Path model = SignedModels.interopModel(dir, "model");
    KeySigner signer =
        KeySigner.fromPem(Interop.certificateKeys().resolve("signing-key.pem"), null);
    byte[] ours = SignedModels.signInPlace(model, signer);
    JsonNode theirs =
        Json.parse(
            Interop.read(Interop.releaseTests().resolve("v1.1.0-elliptic-key/model.sig")),
            "v1.1.0 bundle");
    JsonNode mine = Json.parse(ours, "our bundle");
    assertEquals(shape(theirs, false), shape(mine, false));
    assertEquals(
        theirs.at("/verificationMaterial/publicKey/hint"),
        mine.at("/verificationMaterial/publicKey/hint"));
    assertEquals(statementShape(theirs), statementShape(mine));
    assertEquals(
        2,
        SignedModels.verifyInPlace(
                model,
                ours,
                KeyVerifier.fromPem(Interop.certificateKeys().resolve("signing-key-pub.pem")))
            .fileCount());
  }

  @Test
  void certificateBundleMatchesModelSigningV110() {
    Path model = SignedModels.interopModel(dir, "model");
    CertificateSigner signer =
        CertificateSigner.fromPem(
            Interop.certificateKeys().resolve("signing-key.pem"),
            null,
            Interop.certificateKeys().resolve("signing-key-cert.pem"),
            List.of(Interop.certificateKeys().resolve("int-ca-cert.pem")));
    byte[] ours = SignedModels.signInPlace(model, signer);
    JsonNode theirs =
        Json.parse(
            Interop.read(Interop.releaseTests().resolve("v1.1.0-certificate/model.sig")),
            "v1.1.0 bundle");
    JsonNode mine = Json.parse(ours, "our bundle");
    assertEquals(shape(theirs, false), shape(mine, false));
    assertEquals(
        theirs.at("/verificationMaterial/x509CertificateChain"),
        mine.at("/verificationMaterial/x509CertificateChain"));
    assertEquals(statementShape(theirs), statementShape(mine));
    CertificateChainVerifier ca =
        CertificateChainVerifier.fromPem(
            List.of(Interop.certificateKeys().resolve("ca-cert.pem")), ValidityCheck.CURRENT_TIME);
    assertEquals("CN=intermediate-ca", SignedModels.verifyInPlace(model, ours, ca).signer());
  }

  private static String statementShape(JsonNode bundle) {
    byte[] payload = Base64.getDecoder().decode(bundle.at("/dsseEnvelope/payload").asText());
    return shape(Json.parse(payload, "statement"), true);
  }

  /**
   * Field names (in order unless {@code sortKeys}) and value kinds; arrays by their first element.
   */
  private static String shape(JsonNode n, boolean sortKeys) {
    if (n.isObject()) {
      List<String> fields = new ArrayList<>();
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        fields.add(f + ":" + shape(n.get(f), sortKeys));
      }
      if (sortKeys) {
        fields.sort(null);
      }
      return "{" + String.join(",", fields) + "}";
    }
    if (n.isArray()) {
      return n.isEmpty() ? "[]" : "[" + shape(n.get(0), sortKeys) + "]";
    }
    return n.getNodeType().toString();
  }
}
