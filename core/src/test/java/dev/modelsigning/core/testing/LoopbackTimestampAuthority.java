package dev.modelsigning.core.testing;

import com.sun.net.httpserver.HttpExchange;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * An RFC 3161 TSA taking DER {@code application/timestamp-query}. Its genTime is a WHOLE second:
 * fractional seconds trip some verifiers.
 */
final class LoopbackTimestampAuthority {
  final KeyPair rootKey = TestKeys.p256();
  final X509Certificate root;
  final KeyPair signingKey = TestKeys.p256();
  final X509Certificate signingCert;

  LoopbackTimestampAuthority(Instant notBefore) {
    Instant end = notBefore.plus(Duration.ofDays(365));
    root = TestKeys.caCertificate("loopback-tsa-root", rootKey, null, null, notBefore, end);
    try {
      var utils = new JcaX509ExtensionUtils();
      var builder =
          new JcaX509v3CertificateBuilder(
              root,
              TestKeys.serial(),
              Date.from(notBefore),
              Date.from(end),
              new X500Name("O=loopback.test,CN=loopback-tsa"),
              signingKey.getPublic());
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(signingKey.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(root));
      signingCert =
          TestKeys.toJava(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  List<X509Certificate> chain() {
    return List.of(signingCert, root);
  }

  void handle(HttpExchange exchange) throws Exception {
    if (!"POST".equals(exchange.getRequestMethod())) {
      Http.error(exchange, 405, "POST only");
      return;
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.startsWith("application/timestamp-query")) {
      Http.error(exchange, 415, "expected application/timestamp-query");
      return;
    }
    TimeStampRequest request = new TimeStampRequest(exchange.getRequestBody().readAllBytes());
    var tokenGenerator =
        new TimeStampTokenGenerator(
            new JcaSimpleSignerInfoGeneratorBuilder()
                .build("SHA256withECDSA", signingKey.getPrivate(), signingCert),
            new JcaDigestCalculatorProviderBuilder()
                .build()
                .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
            new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.2"));
    if (request.getCertReq()) {
      tokenGenerator.addCertificates(new JcaCertStore(List.of(signingCert)));
    }
    Date genTime = Date.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    byte[] reply =
        new TimeStampResponseGenerator(tokenGenerator, TSPAlgorithms.ALLOWED)
            .generate(request, new BigInteger(64, new java.security.SecureRandom()), genTime)
            .getEncoded();
    Http.reply(exchange, 200, "application/timestamp-reply", reply);
  }
}
