package dev.modelsigning.core.signing;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.Statement;
import java.security.KeyPair;

/**
 * Signs a statement into a DSSE envelope with an EC key: the part every local-key signer shares.
 */
final class EnvelopeSigner {
  private final KeyPair keyPair;
  private final EcSignatureScheme scheme;

  EnvelopeSigner(KeyPair keyPair) {
    this.keyPair = keyPair;
    this.scheme = EcSignatureScheme.of(keyPair.getPublic());
  }

  EcSignatureScheme scheme() {
    return scheme;
  }

  DsseEnvelope sign(byte[] statementJson) {
    if (statementJson == null || statementJson.length == 0) {
      throw new InvalidInputException("nothing to sign: the statement is empty");
    }
    byte[] signature =
        scheme.sign(keyPair.getPrivate(), Dsse.pae(Statement.PAYLOAD_TYPE, statementJson));
    // keyid "" is what model_signing v1.1 writes; the bundle's verification material names the key.
    return new DsseEnvelope(statementJson, Statement.PAYLOAD_TYPE, signature, "");
  }
}
