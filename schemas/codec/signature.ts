import { createHash, createPrivateKey, createPublicKey, KeyObject, randomBytes, sign as cryptoSign, verify as cryptoVerify, X509Certificate, type KeyLike } from 'node:crypto';
import { DOMParser, type Element as DomElement } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { OadrParseError, OadrSignatureError } from '../errors.js';
import type { DateTime } from '../model/time.js';
import { NS } from './namespaces.js';
import { formatDateTime, parseDateTime } from './time-format.js';
import { DEFAULT_READ_LIMITS, decodeUntrusted, type ReadLimits } from './xml-document.js';

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const C14N = { inclusive: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315', exclusive: 'http://www.w3.org/2001/10/xml-exc-c14n#' } as const;

/** ecdsa-sha256 as XML-DSig 1.1 defines it: the raw r‖s pair (IEEE P1363), not DER. */
class EcdsaSha256 {
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
  getSignature(signedInfo: string | Buffer, privateKey: KeyLike): string {
    const key = privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey);
    return cryptoSign('sha256', Buffer.from(signedInfo), { key, dsaEncoding: 'ieee-p1363' }).toString('base64');
  }
  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
    const publicKey = key instanceof KeyObject ? key : createPublicKey(key);
    return cryptoVerify('sha256', Buffer.from(material), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signatureValue, 'base64'));
  }
}

function withEcdsa(sig: SignedXml): SignedXml {
  (sig.SignatureAlgorithms as Record<string, unknown>)[ECDSA_SHA256] = EcdsaSha256;
  return sig;
}

export interface SigningIdentity {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

export interface SignOptions {
  /** The ReplayProtect timestamp: injected, never read from a clock here. */
  readonly now: DateTime;
  /** Defaults to 16 random bytes in hex. */
  readonly nonce?: string;
  /** 2.0b profile §9 and deployed peers use inclusive C14N 1.0; exclusive is offered for peers that ask for it. */
  readonly canonicalization?: keyof typeof C14N;
}

/**
 * Signs an oadrPayload: a detached ds:Signature placed before oadrSignedObject, referencing
 * it (#oadrSignedObject) and a ds:Object holding the ReplayProtect timestamp and nonce.
 */
export function signPayload(xml: string, identity: SigningIdentity, options: SignOptions): string {
  const keyType = createPrivateKey(identity.privateKeyPem).asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec') throw new Error(`unsupported signing key type ${keyType}; 2.0b uses RSA or ECDSA`);
  const c14n = C14N[options.canonicalization ?? 'inclusive'];
  const nonce = options.nonce ?? randomBytes(16).toString('hex');
  const replayProtect =
    `<ds:SignatureProperties xmlns:ds="${NS.ds}" Id="signatureProperties">` +
    `<ds:SignatureProperty Target="#oadrSignature">` +
    `<dsp:ReplayProtect xmlns:dsp="${NS.dsp}"><dsp:timestamp>${formatDateTime(options.now)}</dsp:timestamp>` +
    `<dsp:nonce>${escapeText(nonce)}</dsp:nonce></dsp:ReplayProtect>` +
    `</ds:SignatureProperty></ds:SignatureProperties>`;
  const sig = withEcdsa(new SignedXml({
    privateKey: identity.privateKeyPem,
    publicCert: identity.certificatePem,
    signatureAlgorithm: keyType === 'rsa' ? RSA_SHA256 : ECDSA_SHA256,
    canonicalizationAlgorithm: c14n,
    objects: [{ content: replayProtect }],
  }));
  sig.addReference({ xpath: "/*/*[local-name(.)='oadrSignedObject']", digestAlgorithm: SHA256, transforms: [c14n], uri: '#oadrSignedObject' });
  sig.addReference({ xpath: "//*[local-name(.)='SignatureProperties']", digestAlgorithm: SHA256, transforms: [c14n], uri: '#signatureProperties', type: 'http://www.w3.org/2000/09/xmldsig#SignatureProperties' });
  sig.computeSignature(xml, {
    prefix: 'ds',
    attrs: { Id: 'oadrSignature' },
    location: { reference: "/*/*[local-name(.)='oadrSignedObject']", action: 'before' },
  });
  return sig.getSignedXml();
}

/** Remembers (timestamp, nonce) pairs for as long as a timestamp is acceptable. */
export interface ReplayCache {
  /** Records the pair; returns false when it was already recorded. */
  remember(nonce: string, timestampMs: number, nowMs: number): boolean;
}

/** In-process replay cache; the VTN and VEN back the same interface with their durable store. */
export class MemoryReplayCache implements ReplayCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly retentionMs: number) {}
  remember(nonce: string, timestampMs: number, nowMs: number): boolean {
    for (const [key, at] of this.seen) if (at < nowMs - this.retentionMs) this.seen.delete(key);
    const key = `${timestampMs}|${nonce}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, timestampMs);
    return true;
  }
}

export interface VerifyOptions {
  readonly now: DateTime;
  readonly replayCache: ReplayCache;
  /** Whether an unsigned payload is refused (the VEN announced oadrXmlSignature=true). */
  readonly required: boolean;
  /** How old a ReplayProtect timestamp may be (default 5 minutes); clocks may also run this far ahead. */
  readonly maxAgeMs?: number;
  /** Decides whether the signer's certificate is acceptable (e.g. it is the TLS client's). Default: any. */
  readonly trustCertificate?: (certificate: X509Certificate) => boolean;
  readonly limits?: ReadLimits;
}

export interface VerifiedSignature {
  readonly certificate: X509Certificate;
  /** SHA-256 over the certificate DER, lowercase hex. */
  readonly certificateSha256: string;
  readonly timestamp: DateTime;
  readonly nonce: string;
}

const DEFAULT_MAX_AGE_MS = 5 * 60_000;

/** Verifies a payload's ds:Signature and ReplayProtect; returns undefined for an unsigned payload that is allowed. */
export function verifyPayloadSignature(input: string | Uint8Array, options: VerifyOptions): VerifiedSignature | undefined {
  const xml = decodeUntrusted(input, options.limits ?? DEFAULT_READ_LIMITS);
  const root = parseStrict(xml);
  const signatures = childElements(root).filter((e) => e.namespaceURI === NS.ds && e.localName === 'Signature');
  if (signatures.length === 0) {
    if (options.required) throw new OadrSignatureError('signature-missing', 'payload is unsigned but this party requires XML signatures (oadrXmlSignature=true)');
    return undefined;
  }
  if (signatures.length > 1) throw new OadrSignatureError('signature-invalid', 'payload carries more than one ds:Signature');
  const signatureElement = signatures[0]!;
  const signedObjects = childElements(root).filter((e) => e.namespaceURI === NS.oadr && e.localName === 'oadrSignedObject');
  const signedObjectId = signedObjects.length === 1 ? idOf(signedObjects[0]!) : undefined;
  if (!signedObjectId) throw new OadrSignatureError('signature-invalid', 'oadrSignedObject is missing or has no Id for the signature to reference');

  const certificateText = textOf(signatureElement, NS.ds, 'X509Certificate');
  if (!certificateText) throw new OadrSignatureError('signature-invalid', 'ds:Signature has no X509Certificate in its KeyInfo');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(certificateText.replace(/\s+/g, ''), 'base64'));
  } catch (cause) {
    throw new OadrSignatureError('signature-invalid', 'ds:X509Certificate is not a valid certificate', { cause });
  }
  if (options.trustCertificate && !options.trustCertificate(certificate)) {
    throw new OadrSignatureError('signature-invalid', `payload is signed by a certificate that is not trusted for this party (${certificate.subject.replace(/\n/g, ', ')})`);
  }

  const sig = withEcdsa(new SignedXml({ publicCert: certificate.toString(), getCertFromKeyInfo: () => null }));
  let valid: boolean;
  try {
    sig.loadSignature(signatureElement as unknown as Parameters<SignedXml['loadSignature']>[0]);
    valid = sig.checkSignature(xml);
  } catch (cause) {
    throw new OadrSignatureError('signature-invalid', `signature check failed: ${(cause as Error).message}`, { cause });
  }
  if (!valid) throw new OadrSignatureError('signature-invalid', 'signature does not match the payload (tampered content or wrong key)');

  const referenced = new Set(sig.getReferences().map((r) => (r.uri.startsWith('#') ? r.uri.slice(1) : r.uri)));
  if (!referenced.has(signedObjectId)) throw new OadrSignatureError('signature-invalid', 'signature does not cover oadrSignedObject');

  // The ReplayProtect element counts only inside a signed ds:Object part, else it could be swapped.
  const replay = findSignedReplayProtect(signatureElement, referenced);
  if (!replay) throw new OadrSignatureError('signature-invalid', 'signature has no signed dsp:ReplayProtect (timestamp and nonce are mandatory in 2.0b)');
  let timestamp: DateTime;
  try {
    timestamp = parseDateTime(replay.timestamp, 'ReplayProtect/timestamp');
  } catch (cause) {
    throw new OadrSignatureError('signature-invalid', `ReplayProtect timestamp is not a date-time: '${replay.timestamp}'`, { cause });
  }
  const maxAge = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const age = options.now.epochMs - timestamp.epochMs;
  if (age > maxAge || age < -maxAge) {
    throw new OadrSignatureError('stale', `ReplayProtect timestamp ${replay.timestamp} is ${Math.round(age / 1000)} s from now; at most ${maxAge / 1000} s is accepted`);
  }
  if (!options.replayCache.remember(replay.nonce, timestamp.epochMs, options.now.epochMs)) {
    throw new OadrSignatureError('replayed', `payload replays nonce ${replay.nonce} with timestamp ${replay.timestamp}`);
  }
  return { certificate, certificateSha256: createHash('sha256').update(certificate.raw).digest('hex'), timestamp, nonce: replay.nonce };
}

/** xmldom in strict mode: any error or warning refuses the document, so it never reads more leniently than libxml2. */
function parseStrict(xml: string): DomElement {
  let problem: string | undefined;
  let doc;
  try {
    doc = new DOMParser({ onError: (level, message) => { problem ??= `${level}: ${message}`; } }).parseFromString(xml, 'text/xml');
  } catch (cause) {
    throw new OadrParseError('not-well-formed', `payload is not well-formed XML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const root = doc.documentElement;
  if (problem || !root) throw new OadrParseError('not-well-formed', `payload is not well-formed XML: ${problem ?? 'no root element'}`);
  return root;
}

function childElements(element: DomElement): DomElement[] {
  const out: DomElement[] = [];
  for (let n = element.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as DomElement);
  return out;
}

function descendants(element: DomElement, ns: string, localName: string): DomElement[] {
  return Array.from(element.getElementsByTagNameNS(ns, localName));
}

function textOf(element: DomElement, ns: string, localName: string): string | undefined {
  return descendants(element, ns, localName)[0]?.textContent ?? undefined;
}

function idOf(element: DomElement): string | undefined {
  for (const attr of Array.from(element.attributes)) if (['Id', 'ID', 'id'].includes(attr.localName ?? '')) return attr.value;
  return undefined;
}

function findSignedReplayProtect(signature: DomElement, referenced: Set<string>): { timestamp: string; nonce: string } | undefined {
  for (const element of descendants(signature, NS.dsp, 'ReplayProtect')) {
    let covered = false;
    for (let n: DomElement | null = element; n && n !== signature; n = n.parentNode as DomElement | null) {
      const id = n.nodeType === 1 ? idOf(n) : undefined;
      if (id && referenced.has(id)) covered = true;
    }
    if (!covered) continue;
    const timestamp = textOf(element, NS.dsp, 'timestamp');
    const nonce = textOf(element, NS.dsp, 'nonce');
    if (timestamp && nonce) return { timestamp: timestamp.trim(), nonce: nonce.trim() };
  }
  return undefined;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
