package dev.modelsigning.core.signing.sigstore;

import dev.modelsigning.core.signing.FulcioOids;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.jspecify.annotations.Nullable;

/**
 * Who a Fulcio certificate names: its subject alternative names (email, URI, or Fulcio's "username"
 * otherName) and the OIDC issuer from Fulcio's extension.
 */
record FulcioIdentity(List<String> names, @Nullable String issuer) {
  private static final int OTHER_NAME = 0;
  private static final int RFC822_NAME = 1;
  private static final int URI = 6;

  static FulcioIdentity of(X509Certificate leaf) {
    return new FulcioIdentity(names(leaf), issuer(leaf));
  }

  String describe() {
    return "identity " + names + " from issuer '" + (issuer == null ? "<none>" : issuer) + "'";
  }

  private static List<String> names(X509Certificate leaf) {
    List<String> names = new ArrayList<>();
    try {
      var sans = leaf.getSubjectAlternativeNames();
      if (sans == null) {
        return names;
      }
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        if ((type == RFC822_NAME || type == URI) && san.get(1) instanceof String s) {
          names.add(s);
        } else if (type == OTHER_NAME && san.get(1) instanceof byte[] der) {
          String username = username(der);
          if (username != null) {
            names.add(username);
          }
        }
      }
    } catch (CertificateParsingException | RuntimeException e) {
      // unreadable names match nothing
    }
    return List.copyOf(names);
  }

  /** Fulcio's otherName {@link FulcioOids#USERNAME} holds a UTF8String username. */
  private static @Nullable String username(byte[] der) {
    try {
      ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
      if (primitive instanceof ASN1TaggedObject tagged) {
        primitive = tagged.getBaseObject().toASN1Primitive();
      }
      ASN1Sequence sequence = ASN1Sequence.getInstance(primitive);
      if (!FulcioOids.USERNAME.equals(
          ASN1ObjectIdentifier.getInstance(sequence.getObjectAt(0)).getId())) {
        return null;
      }
      ASN1Primitive value = sequence.getObjectAt(1).toASN1Primitive();
      while (value instanceof ASN1TaggedObject tagged) {
        value = tagged.getBaseObject().toASN1Primitive();
      }
      return value instanceof ASN1String s ? s.getString() : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static @Nullable String issuer(X509Certificate leaf) {
    try {
      byte[] der = leaf.getExtensionValue(FulcioOids.ISSUER);
      if (der != null) {
        byte[] inner = ASN1OctetString.getInstance(der).getOctets();
        return ASN1UTF8String.getInstance(inner).getString();
      }
      byte[] legacy = leaf.getExtensionValue(FulcioOids.LEGACY_ISSUER);
      if (legacy != null) {
        return new String(ASN1OctetString.getInstance(legacy).getOctets(), StandardCharsets.UTF_8);
      }
    } catch (RuntimeException e) {
      return null;
    }
    return null;
  }
}
