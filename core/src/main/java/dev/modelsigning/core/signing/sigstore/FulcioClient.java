package dev.modelsigning.core.signing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.format.Json;
import dev.modelsigning.core.signing.Pem;
import dev.modelsigning.core.signing.PemKeys;
import java.io.IOException;
import java.net.URI;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Fulcio's REST API, {@code POST /api/v2/signingCert} (the gRPC gateway of {@code
 * CreateSigningCertificate}); portable where Fulcio's gRPC+TLS client is not.
 */
final class FulcioClient {
  private final URI signingCertUrl;
  private final HttpTransport http;

  public FulcioClient(URI fulcioUrl, HttpTransport http) {
    this.signingCertUrl = Urls.resolve(fulcioUrl, "api/v2/signingCert");
    this.http = http;
  }

  /**
   * Asks for a code-signing certificate for {@code publicKey}.
   *
   * @param proofOfPossession signature by the private key over the token's identity claim (see
   *     {@link IdentityTokenClaims#proofOfPossessionSubject()})
   */
  public SigningCertificate requestCertificate(
      String idToken, PublicKey publicKey, byte[] proofOfPossession) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.putObject("credentials").put("oidcIdentityToken", idToken);
    ObjectNode keyRequest = request.putObject("publicKeyRequest");
    keyRequest
        .putObject("publicKey")
        .put("algorithm", "ECDSA")
        .put("content", Pem.encode("PUBLIC KEY", publicKey.getEncoded()));
    keyRequest.put("proofOfPossession", Base64.getEncoder().encodeToString(proofOfPossession));

    HttpTransport.Response response = http.postJson(signingCertUrl, request, "Fulcio");
    if (response.status() == 401 || response.status() == 403) {
      throw new IdentityTokenRejectedException(refusal(response, idToken));
    }
    if (response.status() != 200 && response.status() != 201) {
      throw new SigstoreServiceException(
          signingCertUrl,
          response.status(),
          "Fulcio at "
              + signingCertUrl
              + " refused the certificate request (HTTP "
              + response.status()
              + "): "
              + scrub(response.bodySnippet(), idToken));
    }
    return parse(response);
  }

  private String refusal(HttpTransport.Response response, String idToken) {
    String why = scrub(response.bodySnippet(), idToken);
    String expiry = "";
    try {
      IdentityTokenClaims claims = IdentityTokenClaims.parseUnverified(idToken);
      if (claims.isExpiredAt(Instant.now())) {
        expiry = "the identity token expired at " + claims.expiresAt().get() + "; ";
      }
    } catch (RuntimeException ignored) {
      // the server's own message is all we have
    }
    return "Fulcio at "
        + signingCertUrl
        + " refused the identity token (HTTP "
        + response.status()
        + "): "
        + expiry
        + why;
  }

  /** Servers may echo the token back in an error; never let it reach a log. */
  private static String scrub(String message, String idToken) {
    return idToken.isEmpty() ? message : message.replace(idToken.strip(), "<identity token>");
  }

  private SigningCertificate parse(HttpTransport.Response response) {
    try {
      JsonNode root = Json.MAPPER.readTree(response.body());
      JsonNode chain = root.path("signedCertificateEmbeddedSct").path("chain");
      if (chain.isMissingNode()) {
        chain = root.path("signedCertificateDetachedSct").path("chain");
      }
      List<X509Certificate> certs = new ArrayList<>();
      for (JsonNode pem : chain.path("certificates")) {
        certs.addAll(PemKeys.parseCertificates(pem.asText(), "Fulcio response"));
      }
      if (certs.isEmpty()) {
        throw new SigstoreServiceException(
            signingCertUrl, response.status(), "Fulcio at " + signingCertUrl + " sent no chain");
      }
      return new SigningCertificate(certs);
    } catch (IOException | InvalidInputException e) {
      throw new SigstoreServiceException(
          signingCertUrl,
          "Fulcio at " + signingCertUrl + " sent an unreadable certificate chain",
          e);
    }
  }
}
