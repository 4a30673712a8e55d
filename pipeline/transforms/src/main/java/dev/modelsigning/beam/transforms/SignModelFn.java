package dev.modelsigning.beam.transforms;

import dev.modelsigning.beam.io.ModelChanges;
import dev.modelsigning.beam.io.SignatureStore;
import dev.modelsigning.beam.spec.SignerSpec;
import dev.modelsigning.beam.values.HashedModel;
import dev.modelsigning.beam.values.ModelResult;
import dev.modelsigning.core.ModelSigningException;
import dev.modelsigning.core.SignatureExistsException;
import dev.modelsigning.core.format.BundleReader;
import dev.modelsigning.core.format.SigstoreBundle;
import dev.modelsigning.core.format.StatementWriter;
import dev.modelsigning.core.format.VerificationMaterial;
import dev.modelsigning.core.signing.EcSignatureScheme;
import dev.modelsigning.core.signing.ModelSigner;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The singleton signing step: checks the model did not change, serializes the statement, signs it
 * once and publishes the bundle atomically.
 */
class SignModelFn extends DoFn<HashedModel, ModelResult> {
  private static final Logger LOG = LoggerFactory.getLogger(SignModelFn.class);

  private final SignerSpec signerSpec;
  private final boolean overwrite;

  SignModelFn(SignerSpec signerSpec, boolean overwrite) {
    this.signerSpec = signerSpec;
    this.overwrite = overwrite;
  }

  @ProcessElement
  public void process(@Element HashedModel model, OutputReceiver<ModelResult> out) {
    if (!model.ok()) {
      throw new ModelSigningException(String.join("; ", model.errors()));
    }
    String signature = model.snapshot().request().signature();
    ModelChanges.requireUnchangedSince(model.snapshot());
    byte[] statement = StatementWriter.write(model.manifest());
    ModelSigner signer = signerSpec.create();
    byte[] bundle = signer.sign(statement);
    publish(signature, bundle, statement, signer.publicKey());
    String digest = "sha256:" + model.manifest().subjectDigestHex();
    LOG.info(
        "Signed {}: {}, {} files, {} bytes -> {}",
        model.snapshot().key(),
        digest,
        model.snapshot().files().size(),
        model.snapshot().totalBytes(),
        signature);
    out.output(
        new ModelResult(
            ModelResult.Action.SIGNED,
            model.snapshot().key(),
            digest,
            model.snapshot().files().size(),
            model.snapshot().totalBytes(),
            model.manifest().resources().size(),
            signature,
            signerSpec.describe(),
            List.of(),
            List.of()));
  }

  /**
   * A runner may run this step twice (a retry after a lost acknowledgement). If the bundle already
   * there signs the very same statement by the same signer, the earlier attempt succeeded and is
   * kept.
   */
  private void publish(
      String signature, byte[] bundle, byte[] statement, Optional<PublicKey> ourKey) {
    try {
      SignatureStore.write(signature, bundle, overwrite);
    } catch (SignatureExistsException e) {
      if (!isEarlierAttempt(signature, statement, bundle, ourKey)) {
        throw e;
      }
      LOG.info(
          "{} already holds this signer's signature of this exact manifest; keeping it", signature);
    }
  }

  /**
   * The same statement alone is not enough: a bundle by another key over the same manifest (or one
   * merely claiming our key's hint) must not make this job report success while the user's own
   * signature was never written. The existing signature must verify under our key; for keyless
   * signing, whose key is fresh per attempt, under its own leaf, issued to the same identity (the
   * leaf's chain to Fulcio is checked by verifiers, not here).
   */
  static boolean isEarlierAttempt(
      byte[] existingBundle, byte[] statement, byte[] ourBundle, Optional<PublicKey> ourKey) {
    try {
      SigstoreBundle existing = BundleReader.read(existingBundle);
      VerificationMaterial ours = BundleReader.read(ourBundle).material();
      if (!Arrays.equals(existing.envelope().payload(), statement)
          || !sameSigner(existing.material(), ours)) {
        return false;
      }
      PublicKey key = ourKey.isPresent() ? ourKey.get() : leaf(existing.material()).getPublicKey();
      return EcSignatureScheme.of(key)
          .verify(key, existing.envelope().signedBytes(), existing.envelope().signature());
    } catch (ModelSigningException | CertificateException | ClassCastException e) {
      return false;
    }
  }

  private static boolean isEarlierAttempt(
      String signature, byte[] statement, byte[] ourBundle, Optional<PublicKey> ourKey) {
    try {
      return isEarlierAttempt(SignatureStore.read(signature), statement, ourBundle, ourKey);
    } catch (ModelSigningException e) {
      return false;
    }
  }

  private static boolean sameSigner(VerificationMaterial a, VerificationMaterial b)
      throws CertificateException {
    if (a instanceof VerificationMaterial.PublicKey ka
        && b instanceof VerificationMaterial.PublicKey kb) {
      return ka.hint() != null && ka.hint().equals(kb.hint());
    }
    if (a instanceof VerificationMaterial.CertificateChain ca
        && b instanceof VerificationMaterial.CertificateChain cb) {
      return Arrays.equals(ca.certificates().get(0), cb.certificates().get(0));
    }
    if (a instanceof VerificationMaterial.Certificate
        && b instanceof VerificationMaterial.Certificate) {
      X509Certificate la = leaf(a);
      X509Certificate lb = leaf(b);
      List<String> names = subjectAlternativeNames(la);
      return !names.isEmpty()
          && names.equals(subjectAlternativeNames(lb))
          && Arrays.equals(
              la.getExtensionValue(FULCIO_ISSUER_OID), lb.getExtensionValue(FULCIO_ISSUER_OID))
          && Arrays.equals(
              la.getExtensionValue(FULCIO_LEGACY_ISSUER_OID),
              lb.getExtensionValue(FULCIO_LEGACY_ISSUER_OID));
    }
    return false;
  }

  /**
   * The SANs as comparable values. The JDK returns them in an unmodifiable wrapper whose equals is
   * identity, and an otherName value is a byte array, so they are compared as "type:value" text.
   */
  private static List<String> subjectAlternativeNames(X509Certificate cert)
      throws CertificateException {
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    List<String> out = new ArrayList<>();
    if (sans != null) {
      for (List<?> san : sans) {
        Object value = san.get(1);
        out.add(
            san.get(0)
                + ":"
                + (value instanceof byte[] der ? HexFormat.of().formatHex(der) : value));
      }
    }
    return out;
  }

  private static X509Certificate leaf(VerificationMaterial m) throws CertificateException {
    byte[] der =
        m instanceof VerificationMaterial.Certificate c
            ? c.certificate()
            : ((VerificationMaterial.CertificateChain) m).certificates().get(0);
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static final String FULCIO_ISSUER_OID = "1.3.6.1.4.1.57264.1.8";
  private static final String FULCIO_LEGACY_ISSUER_OID = "1.3.6.1.4.1.57264.1.1";
}
