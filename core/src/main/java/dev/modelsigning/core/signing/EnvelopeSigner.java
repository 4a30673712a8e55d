package dev.modelsigning.core.signing;

import dev.modelsigning.core.InvalidInputException;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.format.Dsse;
import dev.modelsigning.core.format.DsseEnvelope;
import dev.modelsigning.core.format.Statement;

/**
 * Signs a statement into a DSSE envelope with an EC key: the part every key and certificate signer
 * shares, whether the key is local or in a vault.
 */
final class EnvelopeSigner {
  private final SigningKey key;
  private final EcSignatureScheme scheme;

  EnvelopeSigner(SigningKey key) {
    this.key = key;
    this.scheme = EcSignatureScheme.of(key.publicKey());
  }

  EcSignatureScheme scheme() {
    return scheme;
  }

  DsseEnvelope sign(byte[] statementJson) {
    if (statementJson == null || statementJson.length == 0) {
      throw new InvalidInputException("nothing to sign: the statement is empty");
    }
    byte[] pae = Dsse.pae(Statement.PAYLOAD_TYPE, statementJson);
    byte[] signature = key.signDer(pae);
    // A vault may sign with another key (version) than the public key it reported, or return a
    // raw r||s instead of DER: a bundle nobody can verify must never be written.
    if (!scheme.verify(key.publicKey(), pae, signature)) {
      throw new ModelSigningException(
          key.description()
              + " returned a signature that does not verify with its public key sha256:"
              + PublicKeyHint.of(key.publicKey()));
    }
    // keyid "" is what model_signing v1.1 writes; the bundle's verification material names the key.
    return new DsseEnvelope(statementJson, Statement.PAYLOAD_TYPE, signature, "");
  }
}
