#!/usr/bin/env node
// Independent, offline verifier for Sigstore bundles (v0.3 DSSE) built on
// @sigstore/verify. Test-only: the Java test suite runs it through
// dev.modelsigning.core.testing.SigstoreJs. See README.md for what it checks.
//
// Usage:
//   node verify-bundle.mjs --bundle <file> --public-key <pem> [--any-hint]
//   node verify-bundle.mjs --bundle <file> --ca-chain <pem> [--at now|not-before|<ISO-8601>]
//   node verify-bundle.mjs --bundle <file> --trusted-root <json>
//                          [--identity <SAN> | --identity-regexp <re>] [--issuer <url>]
//                          [--ignore-rfc3161]
//   any mode: [--predicate-type <uri>]
//
// Prints exactly one JSON line on stdout: {"ok":true,...} or {"ok":false,"error":"..."}.
// Exit code: 0 verified, 1 rejected, 2 usage error.

import { readFileSync } from 'node:fs';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { assertBundleLatest, assertBundleV02 } from '@sigstore/bundle';
import { X509Certificate, dsse, pem } from '@sigstore/core';
import { Bundle, TrustedRoot } from '@sigstore/protobuf-specs';
// --verify-4 checks with @sigstore/verify 4.x (installed as @sigstore/verify-4), the first line
// that verifies Rekor v2 hashedrekord entries of DSSE bundles; 3.1.1 stays the default.
const { Verifier, toSignedEntity, toTrustMaterial } = await import(
  process.argv.includes('--verify-4') ? '@sigstore/verify-4' : '@sigstore/verify'
);

const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const CLIENT_TRUST_CONFIG = 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json';

class UsageError extends Error {}

function emit(obj, code) {
  process.stdout.write(JSON.stringify(obj) + '\n');
  process.exitCode = code;
}

function parseCli(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        bundle: { type: 'string' },
        'public-key': { type: 'string' },
        'any-hint': { type: 'boolean', default: false },
        'ca-chain': { type: 'string' },
        at: { type: 'string', default: 'now' },
        'trusted-root': { type: 'string' },
        identity: { type: 'string' },
        'identity-regexp': { type: 'string' },
        issuer: { type: 'string' },
        'ignore-rfc3161': { type: 'boolean', default: false },
        'predicate-type': { type: 'string' },
        'verify-4': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(e.message);
  }
  const v = parsed.values;
  if (v.help) throw new UsageError('help requested');
  if (!v.bundle) throw new UsageError('--bundle is required');
  const modes = ['public-key', 'ca-chain', 'trusted-root'].filter((m) => v[m] !== undefined);
  if (modes.length !== 1) {
    throw new UsageError('exactly one of --public-key, --ca-chain, --trusted-root is required');
  }
  const mode = modes[0];
  if (mode !== 'trusted-root' && (v.identity || v['identity-regexp'] || v.issuer)) {
    throw new UsageError('--identity/--identity-regexp/--issuer only apply to --trusted-root');
  }
  if (v.identity && v['identity-regexp']) {
    throw new UsageError('use either --identity or --identity-regexp, not both');
  }
  if (mode !== 'trusted-root' && v['ignore-rfc3161']) {
    throw new UsageError('--ignore-rfc3161 only applies to --trusted-root');
  }
  if (mode !== 'public-key' && v['any-hint']) {
    throw new UsageError('--any-hint only applies to --public-key');
  }
  return { mode, ...v };
}

// ---------------------------------------------------------------------------
// Input helpers

function readJson(path, what) {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not valid JSON: ${e.message}`);
  }
}

// All PEM blocks of one type in a file; text around them (certtool output) is ignored.
function pemBlocks(text, type) {
  const re = new RegExp(`-----BEGIN ${type}-----[\\s\\S]*?-----END ${type}-----`, 'g');
  return text.match(re) || [];
}

// DER SubjectPublicKeyInfo of a PEM/DER public key (or of a bundle's rawBytes).
function spkiDer(material) {
  const key = Buffer.isBuffer(material) && !material.toString('latin1').includes('-----BEGIN')
    ? crypto.createPublicKey({ key: material, format: 'der', type: 'spki' })
    : crypto.createPublicKey(material.toString());
  return key.export({ type: 'spki', format: 'der' });
}

// model_signing's key hint: lowercase hex SHA-256 of the SPKI PEM text
// (64-column base64, "\n" line ends, trailing "\n").
function modelSigningHint(der) {
  return crypto.createHash('sha256').update(pem.fromDER(der, 'PUBLIC KEY')).digest('hex');
}

// ---------------------------------------------------------------------------
// Bundle parsing

function parseBundle(json) {
  if (json === null || typeof json !== 'object') throw new Error('bundle is not a JSON object');
  if (json.mediaType !== BUNDLE_V03) {
    throw new Error(`unsupported bundle mediaType ${JSON.stringify(json.mediaType)}`);
  }
  if (json.dsseEnvelope === undefined) throw new Error('bundle has no dsseEnvelope');
  const bundle = Bundle.fromJSON(json);
  // @sigstore/bundle's v0.3 check (assertBundleLatest) forbids x509CertificateChain, which
  // model_signing's certificate method uses in v0.3 bundles. For chain bundles use the v0.2
  // check: the same structural checks minus that rule.
  if (bundle.verificationMaterial?.content?.$case === 'x509CertificateChain') {
    assertBundleV02(bundle);
  } else {
    assertBundleLatest(bundle);
  }
  return bundle;
}

// @sigstore/verify 3.1.1 verifies signatures with crypto.verify(undefined, ...), which makes
// OpenSSL pick SHA-256 for every EC key. model_signing (and DSSE over P-384/P-521 in general)
// hashes by curve, so P-384 signatures would never verify. This wraps the library's
// SignatureContent and only replaces the final signature check: same PAE (from
// @sigstore/core), digest chosen from the key's curve. Non-EC keys keep the library default.
const CURVE_HASH = { 'prime256v1': 'sha256', 'secp384r1': 'sha384', 'secp521r1': 'sha512' };

function hashFor(key) {
  if (key.asymmetricKeyType !== 'ec') return undefined;
  const hash = CURVE_HASH[key.asymmetricKeyDetails?.namedCurve];
  if (!hash) throw new Error(`unsupported EC curve ${key.asymmetricKeyDetails?.namedCurve}`);
  return hash;
}

function curveAwareSignature(envelope, inner, report) {
  return {
    get signature() {
      return inner.signature;
    },
    compareSignature: (sig) => inner.compareSignature(sig),
    compareDigest: (digest) => inner.compareDigest(digest),
    // @sigstore/verify 4.1+ checks Rekor v2 hashedrekord entries of DSSE bundles against the
    // hash of the PAE with this; 3.1.1 never calls it.
    compareSignedDigest: (digest) => inner.compareSignedDigest(digest),
    verifySignature(key) {
      const hash = hashFor(key);
      report.signatureHash = hash ?? 'library-default';
      const pae = dsse.preAuthEncoding(envelope.payloadType, envelope.payload);
      try {
        return crypto.verify(hash, pae, key, inner.signature);
      } catch {
        return false;
      }
    },
  };
}

function describePayload(envelope, report, expectedPredicate) {
  report.payloadType = envelope.payloadType;
  let statement;
  try {
    statement = JSON.parse(Buffer.from(envelope.payload).toString('utf8'));
  } catch {
    statement = undefined;
  }
  report.predicateType = statement?.predicateType;
  report.subjects = Array.isArray(statement?.subject)
    ? statement.subject.map((s) => ({ name: s.name, digest: s.digest }))
    : undefined;
  if (expectedPredicate !== undefined) {
    if (envelope.payloadType !== 'application/vnd.in-toto+json') {
      throw new Error(`payloadType is ${envelope.payloadType}, expected application/vnd.in-toto+json`);
    }
    if (report.predicateType !== expectedPredicate) {
      throw new Error(`predicateType is ${report.predicateType}, expected ${expectedPredicate}`);
    }
  }
}

// ---------------------------------------------------------------------------
// Trust material per mode

const NO_THRESHOLDS = { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 };
const EMPTY_ROOT = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] };

function publicKeyMode(opts, bundleJson, bundle, report) {
  const pemText = readFileSync(opts['public-key'], 'utf8');
  const blocks = pemBlocks(pemText, 'PUBLIC KEY');
  if (blocks.length !== 1) {
    throw new UsageError(`${opts['public-key']}: expected one PUBLIC KEY PEM block, found ${blocks.length}`);
  }
  const der = spkiDer(blocks[0]);
  const expectedHint = modelSigningHint(der);
  if (bundle.verificationMaterial.content.$case !== 'publicKey') {
    throw new Error(`bundle carries ${bundle.verificationMaterial.content.$case}, not a public key`);
  }
  // The protobuf PublicKeyIdentifier only has "hint"; model_signing v0.3.1..v1.0.x wrote
  // {rawBytes, keyDetails} there instead, which Bundle.fromJSON drops (hint becomes "").
  const hint = bundle.verificationMaterial.content.publicKey.hint;
  const rawBytes = bundleJson.verificationMaterial.publicKey?.rawBytes;
  if (hint) {
    report.keyMatch = hint === expectedHint ? 'hint' : 'hint-ignored';
    if (hint !== expectedHint && !opts['any-hint']) {
      throw new Error(`bundle key hint ${hint} does not name the given key (its hint is ${expectedHint})`);
    }
  } else if (rawBytes) {
    const embedded = spkiDer(Buffer.from(rawBytes, 'base64'));
    if (!embedded.equals(der)) {
      throw new Error('bundle publicKey.rawBytes is a different key than the given one');
    }
    report.keyMatch = 'rawBytes';
  } else {
    report.keyMatch = 'none';
  }
  // Map the given key to whatever hint the bundle uses ("" for rawBytes bundles).
  const keys = { [hint]: { rawBytes: der } };
  return { trust: toTrustMaterial(EMPTY_ROOT, keys), options: NO_THRESHOLDS, extraTimes: [] };
}

function caChainMode(opts, bundle, report) {
  const anchors = pemBlocks(readFileSync(opts['ca-chain'], 'utf8'), 'CERTIFICATE').map((b) =>
    X509Certificate.parse(b),
  );
  if (anchors.length === 0) throw new UsageError(`${opts['ca-chain']}: no CERTIFICATE PEM block`);
  const vm = bundle.verificationMaterial.content;
  if (vm.$case !== 'x509CertificateChain' && vm.$case !== 'certificate') {
    throw new Error(`bundle carries ${vm.$case}, not a certificate`);
  }
  const bundleCerts =
    vm.$case === 'x509CertificateChain'
      ? vm.x509CertificateChain.certificates.map((c) => X509Certificate.parse(Buffer.from(c.rawBytes)))
      : [X509Certificate.parse(Buffer.from(vm.certificate.rawBytes))];
  const leaf = bundleCerts[0];
  let at;
  if (opts.at === 'now') at = new Date();
  else if (opts.at === 'not-before') at = leaf.notBefore;
  else {
    at = new Date(opts.at);
    if (Number.isNaN(at.getTime())) throw new UsageError(`--at: not a date: ${opts.at}`);
  }
  report.verifiedAt = at.toISOString();

  // sigstore-js only looks at certificates[0] of the bundle and treats every certificate of a
  // CA entry as trusted. To honour intermediates shipped in the bundle (as model_signing does
  // when given only the root), admit a bundle intermediate into the CA entry only if it is a
  // CA, is valid at `at` and is signed by a certificate already admitted. Repeat to a fixpoint.
  const trusted = [...anchors];
  let added = true;
  while (added) {
    added = false;
    for (const cert of bundleCerts.slice(1)) {
      if (trusted.some((t) => t.equals(cert))) continue;
      if (!cert.isCA || !cert.validForDate(at)) continue;
      if (trusted.some((t) => safeVerify(cert, t))) {
        trusted.push(cert);
        added = true;
      }
    }
  }
  report.intermediatesFromBundle = trusted.length - anchors.length;
  const root = {
    ...EMPTY_ROOT,
    certificateAuthorities: [
      { certChain: { certificates: trusted.map((c) => ({ rawBytes: c.root.toDER() })) } },
    ],
  };
  // Chain bundles have no tlog entry and no timestamp, so the library has no time at which to
  // verify the chain (verifyCertificate loops over the timestamps only, and with none it never
  // checks the chain at all). extraTimes supplies the verification time explicitly.
  return { trust: toTrustMaterial(root), options: NO_THRESHOLDS, extraTimes: [at] };
}

function safeVerify(cert, issuer) {
  try {
    return cert.verify(issuer);
  } catch {
    return false;
  }
}

function trustedRootMode(opts, bundle, report) {
  const json = readJson(opts['trusted-root'], 'trusted root');
  const rootJson = json.mediaType === CLIENT_TRUST_CONFIG ? json.trustedRoot : json;
  if (!rootJson) throw new UsageError('ClientTrustConfig has no trustedRoot');
  const root = TrustedRoot.fromJSON(rootJson);
  if (bundle.verificationMaterial.content.$case === 'publicKey') {
    throw new Error('bundle carries a public key, not a certificate');
  }
  const policy = {};
  if (opts.identity !== undefined) {
    // @sigstore/verify matches the SAN as an unanchored regular expression; make it exact.
    policy.subjectAlternativeName = `^${opts.identity.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`;
  } else if (opts['identity-regexp'] !== undefined) {
    policy.subjectAlternativeName = opts['identity-regexp'];
  }
  if (opts.issuer !== undefined) policy.extensions = { issuer: opts.issuer };
  report.identityChecked = policy.subjectAlternativeName !== undefined;
  report.issuerChecked = opts.issuer !== undefined;
  // Library defaults: at least 1 tlog entry, 1 SCT, 1 verified timestamp.
  return { trust: toTrustMaterial(root), options: {}, extraTimes: [], policy };
}

// A Verifier that also checks the signing key at caller-supplied times (see caChainMode).
class TimedVerifier extends Verifier {
  constructor(trust, options, extraTimes) {
    super(trust, options);
    this.extraTimes = extraTimes;
  }

  verifyTimestamps(entity) {
    return [...super.verifyTimestamps(entity), ...this.extraTimes];
  }
}

// ---------------------------------------------------------------------------

function run(opts) {
  const bundleJson = readJson(opts.bundle, 'bundle');
  const report = { ok: true, mode: opts.mode };
  const bundle = parseBundle(bundleJson);
  const envelope = bundle.content.dsseEnvelope;
  describePayload(envelope, report, opts['predicate-type']);

  let setup;
  if (opts.mode === 'public-key') setup = publicKeyMode(opts, bundleJson, bundle, report);
  else if (opts.mode === 'ca-chain') setup = caChainMode(opts, bundle, report);
  else setup = trustedRootMode(opts, bundle, report);

  const entity = toSignedEntity(bundle);
  if (opts['ignore-rfc3161']) {
    // @sigstore/verify fails the whole bundle when any RFC 3161 timestamp cannot be verified
    // against the trusted root's TSAs. With a root that lacks the TSA that stamped the bundle,
    // this drops those timestamps: time then comes only from the Rekor entries' SETs.
    const before = entity.timestamps.length;
    entity.timestamps = entity.timestamps.filter((t) => t.$case !== 'timestamp-authority');
    report.rfc3161Ignored = before - entity.timestamps.length;
  }
  entity.signature = curveAwareSignature(envelope, entity.signature, report);
  const verifier = new TimedVerifier(setup.trust, setup.options, setup.extraTimes);
  const signer = verifier.verify(entity, setup.policy);

  report.tlogEntries = entity.tlogEntries.length;
  report.timestamps = entity.timestamps.length;
  if (signer.identity) {
    report.signer = {
      subjectAlternativeName: signer.identity.subjectAlternativeName,
      issuer: signer.identity.extensions?.issuer,
    };
  }
  return report;
}

try {
  const opts = parseCli(process.argv.slice(2));
  try {
    emit(run(opts), 0);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    emit({ ok: false, error: describeError(e) }, 1);
  }
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(
    'usage: verify-bundle.mjs --bundle <file> (--public-key <pem> [--any-hint] | ' +
      '--ca-chain <pem> [--at now|not-before|<ISO-8601>] | --trusted-root <json> ' +
      '[--identity <SAN> | --identity-regexp <re>] [--issuer <url>] [--ignore-rfc3161]) ' +
      '[--predicate-type <uri>]\n',
  );
  emit({ ok: false, error: `usage: ${e.message}` }, 2);
}

function describeError(e) {
  const parts = [];
  for (let err = e; err; err = err.cause) {
    const code = err.code ? `${err.code}: ` : '';
    const fields = Array.isArray(err.fields) ? ` [${err.fields.join(', ')}]` : '';
    parts.push(`${code}${err.message}${fields}`);
  }
  return parts.join(' <- ');
}
