package dev.modelsigning.core.signing.sigstore;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Map;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

/** An RFC 3161 timestamp authority spoken to with DER {@code application/timestamp-query}. */
final class TimestampAuthorityClient {
  private static final SecureRandom NONCES = new SecureRandom();

  private final URI url;
  private final HttpTransport http;

  public TimestampAuthorityClient(URI url, HttpTransport http) {
    this.url = url;
    this.http = http;
  }

  /**
   * Timestamps {@code data} (for a bundle: the DSSE signature bytes) and returns the DER
   * TimeStampResp, which is what a bundle's {@code signedTimestamp} holds.
   */
  public byte[] timestamp(byte[] data) {
    TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
    generator.setCertReq(true);
    TimeStampRequest request =
        generator.generate(
            NISTObjectIdentifiers.id_sha256, sha256(data), new BigInteger(64, NONCES));
    HttpTransport.Response response;
    try {
      response = http.post(url, "application/timestamp-query", request.getEncoded(), Map.of());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (response.status() != 200) {
      throw new SigstoreServiceException(
          url,
          response.status(),
          "timestamp authority at "
              + url
              + " refused the request (HTTP "
              + response.status()
              + "): "
              + response.bodySnippet());
    }
    try {
      TimeStampResponse reply = new TimeStampResponse(response.body());
      reply.validate(request); // status granted, same imprint and nonce
      return response.body();
    } catch (IOException | TSPException e) {
      throw new SigstoreServiceException(
          url, "timestamp authority at " + url + " sent a bad reply: " + e.getMessage(), e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
