package dev.modelsigning.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A Fulcio-like CA: checks the OIDC token against the trusted issuer's JWKS, checks the proof of
 * possession over {@code sub}, and issues a short-lived code-signing leaf with Fulcio's issuer
 * extensions and an embedded SCT from a loopback CT log key (sigstore-java insists on one).
 */
final class LoopbackCertificateAuthority {
  static final String ISSUER_V1_OID = "1.3.6.1.4.1.57264.1.1";
  static final String ISSUER_V2_OID = "1.3.6.1.4.1.57264.1.8";
  static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";

  final Instant createdAt;
  final KeyPair rootKey = TestKeys.p256();
  final X509Certificate root;
  final KeyPair intermediateKey;
  final X509Certificate intermediate;
  final KeyPair ctKey = TestKeys.p256();

  private final String trustedIssuer;
  private final Duration leafValidity;
  private final boolean issueExpired;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Map<String, PublicKey> jwks = Map.of();

  LoopbackCertificateAuthority(
      String trustedIssuer, boolean withIntermediate, Duration leafValidity, boolean issueExpired) {
    this.trustedIssuer = trustedIssuer;
    this.leafValidity = leafValidity;
    this.issueExpired = issueExpired;
    this.createdAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
    Instant end = createdAt.plus(Duration.ofDays(365));
    this.root = TestKeys.caCertificate("loopback-fulcio-root", rootKey, null, null, createdAt, end);
    if (withIntermediate) {
      intermediateKey = TestKeys.p256();
      intermediate =
          TestKeys.caCertificate(
              "loopback-fulcio-intermediate",
              intermediateKey,
              root,
              rootKey.getPrivate(),
              createdAt,
              end);
    } else {
      intermediateKey = null;
      intermediate = null;
    }
  }

  /** The chain above the leaf, issuer first. */
  List<X509Certificate> chain() {
    return intermediate == null ? List.of(root) : List.of(intermediate, root);
  }

  byte[] ctLogId() {
    return MerkleTree.sha256(ctKey.getPublic().getEncoded());
  }

  void handleSigningCert(HttpExchange exchange) throws Exception {
    if (!"POST".equals(exchange.getRequestMethod())) {
      Http.error(exchange, 405, "POST only");
      return;
    }
    JsonNode request = Http.JSON.readTree(exchange.getRequestBody());
    String token = request.path("credentials").path("oidcIdentityToken").asText("");
    JsonNode keyRequest = request.path("publicKeyRequest");
    PublicKey publicKey;
    try {
      publicKey = parsePublicKey(keyRequest.path("publicKey").path("content").asText(""));
    } catch (Exception e) {
      Http.error(exchange, 400, "invalid public key");
      return;
    }

    JsonNode claims;
    try {
      claims = verifyToken(token);
    } catch (TokenRefused e) {
      Http.error(
          exchange, 401, "There was an error processing the identity token: " + e.getMessage());
      return;
    }
    String subject = claims.path("sub").asText("");
    byte[] proof = Base64.getDecoder().decode(keyRequest.path("proofOfPossession").asText(""));
    if (!verifies(publicKey, subject.getBytes(StandardCharsets.UTF_8), proof)) {
      Http.error(exchange, 400, "The signature supplied in the request could not be verified");
      return;
    }

    X509Certificate leaf = issueLeaf(publicKey, subject, claims.path("iss").asText());
    var certificates = Http.JSON.createArrayNode();
    certificates.add(pem(leaf));
    chain().forEach(c -> certificates.add(pem(c)));
    var response = Http.JSON.createObjectNode();
    response
        .putObject("signedCertificateEmbeddedSct")
        .putObject("chain")
        .set("certificates", certificates);
    Http.reply(exchange, 201, "application/json", response.toString());
  }

  static final class TokenRefused extends Exception {
    TokenRefused(String message) {
      super(message);
    }
  }

  private JsonNode verifyToken(String token) throws Exception {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new TokenRefused("not a JWT");
    }
    Base64.Decoder b64 = Base64.getUrlDecoder();
    JsonNode header = Http.JSON.readTree(b64.decode(parts[0]));
    JsonNode claims = Http.JSON.readTree(b64.decode(parts[1]));
    if (!trustedIssuer.equals(claims.path("iss").asText())) {
      throw new TokenRefused("untrusted issuer " + claims.path("iss").asText());
    }
    PublicKey key = jwk(header.path("kid").asText(""));
    byte[] signedPart = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    byte[] signature = b64.decode(parts[2]);
    String alg = header.path("alg").asText();
    boolean valid =
        switch (alg) {
          case "RS256" -> verifies("SHA256withRSA", key, signedPart, signature);
          case "ES256" -> verifies("SHA256withECDSA", key, signedPart, rawToDer(signature));
          default -> throw new TokenRefused("unsupported alg " + alg);
        };
    if (!valid) {
      throw new TokenRefused("invalid signature");
    }
    long now = Instant.now().getEpochSecond();
    if (!claims.hasNonNull("exp") || claims.get("exp").asLong() <= now) {
      throw new TokenRefused("token is expired");
    }
    JsonNode aud = claims.path("aud");
    boolean sigstoreAudience =
        aud.isArray()
            ? java.util.stream.StreamSupport.stream(aud.spliterator(), false)
                .anyMatch(a -> "sigstore".equals(a.asText()))
            : "sigstore".equals(aud.asText());
    if (!sigstoreAudience) {
      throw new TokenRefused("audience is not 'sigstore'");
    }
    return claims;
  }

  /** Keys from the issuer's discovery document, fetched over loopback, refreshed on a new kid. */
  private synchronized PublicKey jwk(String kid) throws Exception {
    if (!jwks.containsKey(kid)) {
      JsonNode discovery = getJson(URI.create(trustedIssuer + "/.well-known/openid-configuration"));
      JsonNode keys = getJson(URI.create(discovery.path("jwks_uri").asText())).path("keys");
      Map<String, PublicKey> fresh = new HashMap<>();
      for (JsonNode jwk : keys) {
        fresh.put(jwk.path("kid").asText(""), toPublicKey(jwk));
      }
      jwks = fresh;
    }
    PublicKey key = jwks.get(kid);
    if (key == null) {
      throw new TokenRefused("unknown signing key");
    }
    return key;
  }

  private JsonNode getJson(URI url) throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new TokenRefused("issuer answered HTTP " + response.statusCode() + " for " + url);
    }
    return Http.JSON.readTree(response.body());
  }

  private static PublicKey toPublicKey(JsonNode jwk) throws Exception {
    Base64.Decoder b64 = Base64.getUrlDecoder();
    switch (jwk.path("kty").asText()) {
      case "RSA":
        return KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, b64.decode(jwk.path("n").asText())),
                    new BigInteger(1, b64.decode(jwk.path("e").asText()))));
      case "EC":
        ECParameterSpec p256 = ((ECPublicKey) TestKeys.p256().getPublic()).getParams();
        return KeyFactory.getInstance("EC")
            .generatePublic(
                new ECPublicKeySpec(
                    new ECPoint(
                        new BigInteger(1, b64.decode(jwk.path("x").asText())),
                        new BigInteger(1, b64.decode(jwk.path("y").asText()))),
                    p256));
      default:
        throw new TokenRefused("unsupported key type " + jwk.path("kty").asText());
    }
  }

  private static byte[] rawToDer(byte[] raw) throws Exception {
    int half = raw.length / 2;
    return new DERSequence(
            new org.bouncycastle.asn1.ASN1Encodable[] {
              new ASN1Integer(new BigInteger(1, java.util.Arrays.copyOfRange(raw, 0, half))),
              new ASN1Integer(
                  new BigInteger(1, java.util.Arrays.copyOfRange(raw, half, raw.length)))
            })
        .getEncoded();
  }

  private static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
    return verifies("SHA256withECDSA", key, data, signature);
  }

  private static boolean verifies(String algorithm, PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (Exception e) {
      return false;
    }
  }

  private static PublicKey parsePublicKey(String pem) throws Exception {
    try (PEMParser parser = new PEMParser(new java.io.StringReader(pem))) {
      SubjectPublicKeyInfo info = (SubjectPublicKeyInfo) parser.readObject();
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(info.getEncoded()));
    }
  }

  /** Fulcio's "uri" identities get a URI SAN, email-shaped ones an rfc822Name. */
  static GeneralName sanFor(String identity) {
    if (identity.contains("://")) {
      return new GeneralName(GeneralName.uniformResourceIdentifier, identity);
    }
    if (identity.contains("@")) {
      return new GeneralName(GeneralName.rfc822Name, identity);
    }
    return new GeneralName(
        GeneralName.otherName,
        new DERSequence(
            new org.bouncycastle.asn1.ASN1Encodable[] {
              new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.7"),
              new org.bouncycastle.asn1.DERTaggedObject(true, 0, new DERUTF8String(identity))
            }));
  }

  X509Certificate issueLeaf(PublicKey publicKey, String identity, String issuer) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant notBefore = issueExpired ? now.minus(leafValidity.multipliedBy(2)) : now;
    Instant notAfter = notBefore.plus(leafValidity);
    X509Certificate issuerCert = intermediate == null ? root : intermediate;
    PrivateKey issuerKey =
        intermediate == null ? rootKey.getPrivate() : intermediateKey.getPrivate();
    var utils = new JcaX509ExtensionUtils();

    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded()),
            TestKeys.serial(),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name(new RDN[0]),
            publicKey);
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
    builder.addExtension(
        Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCert));
    builder.addExtension(
        Extension.subjectAlternativeName, true, new GeneralNames(sanFor(identity)));
    // 57264.1.1: raw UTF-8 (deprecated form); 57264.1.8: DER UTF8String. Fulcio writes both.
    builder.addExtension(
        new ASN1ObjectIdentifier(ISSUER_V1_OID), false, issuer.getBytes(StandardCharsets.UTF_8));
    builder.addExtension(new ASN1ObjectIdentifier(ISSUER_V2_OID), false, new DERUTF8String(issuer));

    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
    // The SCT signs the TBS without the SCT extension; issue that, then add the SCT last so that
    // removing it (as verifiers do) gives back exactly those bytes.
    X509CertificateHolder precert = builder.build(signer);
    byte[] sct =
        signedCertificateTimestamp(
            precert.toASN1Structure().getTBSCertificate().getEncoded(), issuerCert);
    builder.addExtension(
        new ASN1ObjectIdentifier(SCT_LIST_OID), false, new DEROctetString(sctList(sct)));
    return TestKeys.toJava(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  /** An RFC 6962 v1 SCT over a precert entry, signed with the CT key. */
  private byte[] signedCertificateTimestamp(byte[] tbs, X509Certificate issuerCert)
      throws Exception {
    long timestamp = Instant.now().toEpochMilli();
    byte[] issuerKeyHash =
        MessageDigest.getInstance("SHA-256").digest(issuerCert.getPublicKey().getEncoded());

    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.write(0); // v1
    signed.write(0); // certificate_timestamp
    writeNumber(signed, timestamp, 8);
    writeNumber(signed, 1, 2); // precert_entry
    signed.write(issuerKeyHash);
    writeNumber(signed, tbs.length, 3);
    signed.write(tbs);
    writeNumber(signed, 0, 2); // no extensions
    byte[] signature = TestKeys.sign(ctKey.getPrivate(), signed.toByteArray());

    ByteArrayOutputStream sct = new ByteArrayOutputStream();
    sct.write(0); // v1
    sct.write(ctLogId());
    writeNumber(sct, timestamp, 8);
    writeNumber(sct, 0, 2); // extensions
    sct.write(4); // sha256
    sct.write(3); // ecdsa
    writeNumber(sct, signature.length, 2);
    sct.write(signature);
    return sct.toByteArray();
  }

  private static byte[] sctList(byte[] sct) throws Exception {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    writeNumber(list, sct.length + 2, 2);
    writeNumber(list, sct.length, 2);
    list.write(sct);
    return list.toByteArray();
  }

  private static void writeNumber(ByteArrayOutputStream out, long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }

  static String pem(X509Certificate cert) {
    try {
      String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
