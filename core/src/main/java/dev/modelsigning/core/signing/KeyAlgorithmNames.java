package dev.modelsigning.core.signing;

import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** Human names for key algorithm and curve OIDs, so refusals say "got RSA", not an OID. */
final class KeyAlgorithmNames {
  private static final Map<ASN1ObjectIdentifier, String> ALGORITHMS =
      Map.of(
          PKCSObjectIdentifiers.rsaEncryption, "RSA",
          PKCSObjectIdentifiers.id_RSASSA_PSS, "RSA-PSS",
          EdECObjectIdentifiers.id_Ed25519, "Ed25519",
          EdECObjectIdentifiers.id_Ed448, "Ed448",
          EdECObjectIdentifiers.id_X25519, "X25519",
          EdECObjectIdentifiers.id_X448, "X448",
          X9ObjectIdentifiers.id_dsa, "DSA",
          X9ObjectIdentifiers.id_ecPublicKey, "EC");

  private KeyAlgorithmNames() {}

  static String of(ASN1ObjectIdentifier algorithm) {
    String name = ALGORITHMS.get(algorithm);
    return name != null ? name : "a key of algorithm " + algorithm.getId();
  }

  static String curve(ASN1ObjectIdentifier curve) {
    String name = ECNamedCurveTable.getName(curve);
    return name != null ? name + " (" + curve.getId() + ")" : curve.getId();
  }
}
