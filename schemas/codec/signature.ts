import { createHash, createPrivateKey, randomBytes, sign as cryptoSign, timingSafeEqual, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { XmlC14NMode, XmlElement, XmlXPath, type XmlDocument } from 'libxml2-wasm';
import { CanonicalFormUnavailable, OadrError, OadrParseError, OadrSignatureError } from '../errors.js';
import type { DateTime } from '../model/time.js';
import { NS, type NamespacePrefix } from './namespaces.js';
import { canonicalText, PAYLOAD_NAMESPACES } from './xml-writer.js';
import { inclusiveCanonicalSubtrees } from './canonical-subtree.js';
import { formatDateTime, parseDateTime } from './time-format.js';
import { DEFAULT_READ_LIMITS, decodeUntrusted, withLibxml2Document, type ReadLimits } from './xml-document.js';

// XML-DSig as the 2.0b profile uses it, on libxml2's canonicalisation (the reference C14N
// implementation) and Node's crypto: detached signature, same-document references by Id,
// C14N 1.0 inclusive or exclusive, SHA-2 digests, RSA or ECDSA.

const C14N = {
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315': XmlC14NMode.XML_C14N_1_0,
  'http://www.w3.org/2001/10/xml-exc-c14n#': XmlC14NMode.XML_C14N_EXCLUSIVE_1_0,
} as const;
type C14nAlgorithm = keyof typeof C14N;
const C14N_BY_NAME = { inclusive: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315', exclusive: 'http://www.w3.org/2001/10/xml-exc-c14n#' } as const satisfies Record<string, C14nAlgorithm>;
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const DIGESTS: Record<string, string> = {
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};
const SIGNATURES: Record<string, { hash: string; key: 'rsa' | 'ec' }> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256', key: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384', key: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512', key: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { hash: 'sha256', key: 'ec' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { hash: 'sha384', key: 'ec' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { hash: 'sha512', key: 'ec' },
};
const NCNAME = /^[A-Za-z_][\w.-]*$/;

export interface SigningIdentity {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

export interface SignOptions {
  /** The ReplayProtect timestamp: injected, never read from a clock here. */
  readonly now: DateTime;
  /** Defaults to 16 random bytes in hex. */
  readonly nonce?: string;
  /** 2.0b profile and deployed peers use inclusive C14N 1.0; exclusive is offered for peers that ask for it. */
  readonly canonicalization?: keyof typeof C14N_BY_NAME;
}

/**
 * The canonical form of one element's subtree. Through the document with a node set, not the
 * element's own helper: libxml2 asks a JavaScript callback about every node of the document either
 * way, but the node-set answer is a pointer lookup and a parent walk, where the helper built two
 * node wrappers per call (a quarter of a signed request's CPU). Same output, proved by the
 * signature vectors and the xml-crypto cross-checks.
 */
function canonical(element: XmlElement, mode: (typeof C14N)[C14nAlgorithm], prefixes?: string[]): string {
  return element.doc.canonicalizeToString({ mode, nodeSet: new Set([element]), ...(prefixes?.length ? { inclusiveNamespacePrefixes: prefixes } : {}) });
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Parsing a PEM key or a certificate costs far more than the ECDSA operation itself: each is
// parsed once. Bounded maps, cleared when full (identities and peers are few; a flood of
// distinct certificates only costs the parse it would have cost anyway).
const identities = new Map<string, { privateKey: KeyObject; certificate: string }>();
const peers = new Map<string, PeerCertificate>();
const CACHE_LIMIT = 1024;

function parsedIdentity(identity: SigningIdentity): { privateKey: KeyObject; certificate: string } {
  const cacheKey = identity.privateKeyPem + identity.certificatePem;
  let parsed = identities.get(cacheKey);
  if (!parsed) {
    parsed = { privateKey: createPrivateKey(identity.privateKeyPem), certificate: new X509Certificate(identity.certificatePem).raw.toString('base64') };
    if (identities.size >= CACHE_LIMIT) identities.clear();
    identities.set(cacheKey, parsed);
  }
  return parsed;
}

interface PeerCertificate {
  readonly certificate: X509Certificate;
  /** X509Certificate.publicKey builds a new KeyObject on every read. */
  readonly publicKey: KeyObject;
  readonly sha256: string;
}

/** The signer's certificate from ds:X509Certificate (base64 DER, whitespace removed). */
function peerCertificate(base64: string): PeerCertificate {
  let peer = peers.get(base64);
  if (peer) return peer;
  try {
    const certificate = new X509Certificate(Buffer.from(base64, 'base64'));
    peer = { certificate, publicKey: certificate.publicKey, sha256: createHash('sha256').update(certificate.raw).digest('hex') };
  } catch (cause) {
    throw new OadrSignatureError('signature-invalid', 'ds:X509Certificate is not a valid certificate', { cause });
  }
  if (peers.size >= CACHE_LIMIT) peers.clear();
  peers.set(base64, peer);
  return peer;
}

/**
 * Signs an oadrPayload: a detached ds:Signature placed before oadrSignedObject, referencing it
 * (#oadrSignedObject) and a ds:Object holding the ReplayProtect timestamp and nonce.
 */
export function signPayload(xml: string, identity: SigningIdentity, options: SignOptions): string {
  return signWith(xml, identity, options, undefined);
}

/**
 * Signs a payload our writer just wrote, given the canonical form of its oadrSignedObject from the
 * canonical writer (serializeSignedPayload): with inclusive C14N the three canonical forms a
 * signature needs are then written, not computed by parsing the payload back — the same bytes as
 * libxml2's (schemas/test/canonical-writer.test.ts), without its per-node callback.
 */
export function signWritten(xml: string, identity: SigningIdentity, options: SignOptions, canonicalSignedObject: string | undefined): string {
  return signWith(xml, identity, options, canonicalSignedObject);
}

function signWith(xml: string, identity: SigningIdentity, options: SignOptions, canonicalSignedObject: string | undefined): string {
  const { privateKey, certificate } = parsedIdentity(identity);
  const keyType = privateKey.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec') throw new Error(`unsupported signing key type ${keyType}; 2.0b uses RSA or ECDSA`);
  const c14n = C14N_BY_NAME[options.canonicalization ?? 'inclusive'];
  const mode = C14N[c14n];
  const signatureMethod = keyType === 'rsa' ? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' : 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
  const nonce = options.nonce ?? randomBytes(16).toString('hex');
  const reference = (uri: string, placeholder: string, type = ''): string =>
    `<ds:Reference URI="#${uri}"${type}><ds:Transforms><ds:Transform Algorithm="${c14n}"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>${placeholder}</ds:DigestValue></ds:Reference>`;
  const signature =
    `<ds:Signature xmlns:ds="${NS.ds}" Id="oadrSignature"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${c14n}"/>` +
    `<ds:SignatureMethod Algorithm="${signatureMethod}"/>` +
    reference('oadrSignedObject', '@DIGEST-1@') +
    reference('signatureProperties', '@DIGEST-2@', ' Type="http://www.w3.org/2000/09/xmldsig#SignatureProperties"') +
    `</ds:SignedInfo><ds:SignatureValue>@SIGNATURE@</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `<ds:Object><ds:SignatureProperties Id="signatureProperties"><ds:SignatureProperty Target="#oadrSignature">` +
    `<dsp:ReplayProtect xmlns:dsp="${NS.dsp}"><dsp:timestamp>${formatDateTime(options.now)}</dsp:timestamp>` +
    `<dsp:nonce>${escapeText(nonce)}</dsp:nonce></dsp:ReplayProtect></ds:SignatureProperty></ds:SignatureProperties></ds:Object></ds:Signature>`;
  const at = /<([A-Za-z_][\w.-]*:)?oadrSignedObject[\s>]/.exec(xml);
  if (!at) throw new Error('signPayload needs an oadrPayload with an oadrSignedObject');
  let out = xml.slice(0, at.index) + signature + xml.slice(at.index);
  if (canonicalSignedObject !== undefined && c14n === C14N_BY_NAME.inclusive) {
    const written = writtenSignature(canonicalSignedObject, c14n, signatureMethod, options.now, nonce);
    if (written) {
      out = out.replace('@DIGEST-1@', written.digests[0]).replace('@DIGEST-2@', written.digests[1]);
      const value = cryptoSign('sha256', Buffer.from(written.signedInfo(written.digests)), { key: privateKey, ...(keyType === 'ec' ? { dsaEncoding: 'ieee-p1363' as const } : {}) }).toString('base64');
      return out.replace('@SIGNATURE@', value);
    }
  }
  // One parse gives all three canonical forms: the placeholders sit only in SignedInfo's
  // DigestValue text, outside both referenced elements, and base64 needs no escaping, so the
  // digests can be put into SignedInfo's canonical form as they are put into the payload.
  const [digest1, digest2, signedInfoWithPlaceholders] = withLibxml2Document(out, (doc) => {
    const target = (id: string): XmlElement => {
      const found = elementsWithId(doc, id);
      if (found.length !== 1) throw new Error(`signPayload: the payload must hold exactly one element with Id '${id}' (found ${found.length})`);
      return found[0]!;
    };
    const targets = [target('oadrSignedObject'), target('signatureProperties'), signedInfoOf(doc)];
    const cut = mode === XmlC14NMode.XML_C14N_1_0 ? inclusiveCanonicalSubtrees(doc, targets) : [];
    const [signedObject, properties, signedInfo] = targets.map((element, i) => cut[i] ?? canonical(element, mode)) as [string, string, string];
    return [createHash('sha256').update(signedObject).digest('base64'), createHash('sha256').update(properties).digest('base64'), signedInfo];
  });
  out = out.replace('@DIGEST-1@', digest1).replace('@DIGEST-2@', digest2);
  const signedInfo = signedInfoWithPlaceholders.replace('@DIGEST-1@', digest1).replace('@DIGEST-2@', digest2);
  const value = cryptoSign('sha256', Buffer.from(signedInfo), { key: privateKey, ...(keyType === 'ec' ? { dsaEncoding: 'ieee-p1363' as const } : {}) }).toString('base64');
  return out.replace('@SIGNATURE@', value);
}

const SIGNATURE_PROPERTIES_TYPE = 'http://www.w3.org/2000/09/xmldsig#SignatureProperties';

/**
 * The inclusive canonical forms of the signature's referenced parts inside one of our payloads
 * (every namespace of the payload's root and ds in scope, dsp declared on ReplayProtect), or
 * undefined when the nonce holds a character the canonical writer declines.
 */
function writtenSignature(signedObject: string, c14n: string, signatureMethod: string, now: DateTime, nonce: string): { digests: [string, string]; signedInfo(digests: readonly [string, string]): string } | undefined {
  let nonceText: string;
  try {
    nonceText = canonicalText(nonce);
  } catch (error) {
    if (error instanceof CanonicalFormUnavailable) return undefined;
    throw error;
  }
  const scope = [...PAYLOAD_NAMESPACES, 'ds' as NamespacePrefix].sort().map((p) => ` xmlns:${p}="${NS[p]}"`).join('');
  const properties = `<ds:SignatureProperties${scope} Id="signatureProperties"><ds:SignatureProperty Target="#oadrSignature">` +
    `<dsp:ReplayProtect xmlns:dsp="${NS.dsp}"><dsp:timestamp>${formatDateTime(now)}</dsp:timestamp><dsp:nonce>${nonceText}</dsp:nonce></dsp:ReplayProtect></ds:SignatureProperty></ds:SignatureProperties>`;
  // Attributes sorted by name: Type before URI.
  const reference = (uri: string, digest: string, type?: string): string =>
    `<ds:Reference${type ? ` Type="${type}"` : ''} URI="#${uri}"><ds:Transforms><ds:Transform Algorithm="${c14n}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64');
  return {
    digests: [sha256(signedObject), sha256(properties)],
    signedInfo: ([d1, d2]) => `<ds:SignedInfo${scope}><ds:CanonicalizationMethod Algorithm="${c14n}"></ds:CanonicalizationMethod>` +
      `<ds:SignatureMethod Algorithm="${signatureMethod}"></ds:SignatureMethod>${reference('oadrSignedObject', d1)}${reference('signatureProperties', d2, SIGNATURE_PROPERTIES_TYPE)}</ds:SignedInfo>`,
  };
}

function signedInfoOf(doc: XmlDocument): XmlElement {
  const found = doc.find('/*/ds:Signature/ds:SignedInfo', { ds: NS.ds });
  if (found.length !== 1 || !(found[0] instanceof XmlElement)) throw new OadrSignatureError('signature-invalid', 'ds:Signature must hold exactly one ds:SignedInfo');
  return found[0];
}

// Compiled once: a verification asks these of every payload.
const ID_BEARERS = XmlXPath.compile("//*[@*[local-name()='Id' or local-name()='ID' or local-name()='id']]");
const X509_CERTIFICATE = XmlXPath.compile('/*/ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate', { ds: NS.ds });
const REPLAY_PROTECT = XmlXPath.compile('/*/ds:Signature//dsp:ReplayProtect', { ds: NS.ds, dsp: NS.dsp });

interface IdBearer {
  readonly element: XmlElement;
  /** Values of its attributes named Id, ID or id (in any namespace). */
  readonly ids: readonly string[];
}

function idBearers(doc: XmlDocument): IdBearer[] {
  return doc.find(ID_BEARERS).filter((n): n is XmlElement => n instanceof XmlElement)
    .map((element) => ({ element, ids: element.attrs.filter((a) => a.name === 'Id' || a.name === 'ID' || a.name === 'id').map((a) => a.value) }));
}

function elementsWithId(doc: XmlDocument, id: string, bearers: readonly IdBearer[] = idBearers(doc)): XmlElement[] {
  if (!NCNAME.test(id)) throw new OadrSignatureError('signature-invalid', `reference to '${id}' is not a same-document Id`);
  return bearers.filter((b) => b.ids.includes(id)).map((b) => b.element);
}

/** Remembers (timestamp, nonce) pairs for as long as a timestamp is acceptable. */
export interface ReplayCache {
  /** Records the pair; returns false when it was already recorded. */
  remember(nonce: string, timestampMs: number, nowMs: number): boolean;
}

/** In-process replay cache; the VTN and VEN back the same idea with their durable store. */
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

function invalid(message: string): OadrSignatureError {
  return new OadrSignatureError('signature-invalid', message);
}

/**
 * The element children of the signature's elements, each list read once per verification: every
 * step through libxml2-wasm builds a wrapper and decodes its name from wasm memory, and the checks
 * below ask about the same few elements many times.
 */
class ElementChildren {
  private readonly lists = new Map<XmlElement, { element: XmlElement; ns: string; name: string }[]>();

  of(element: XmlElement, ns: string, name: string): XmlElement[] {
    let list = this.lists.get(element);
    if (!list) {
      list = [];
      for (let n = element.firstChild; n; n = n.next) if (n instanceof XmlElement) list.push({ element: n, ns: n.namespaceUri, name: n.name });
      this.lists.set(element, list);
    }
    return list.filter((c) => c.ns === ns && c.name === name).map((c) => c.element);
  }

  only(element: XmlElement, ns: string, name: string): XmlElement {
    const found = this.of(element, ns, name);
    if (found.length !== 1) throw invalid(`ds:${element.name} must hold exactly one ${name} (found ${found.length})`);
    return found[0]!;
  }
}

function algorithmOf(element: XmlElement): string {
  return element.attr('Algorithm')?.value ?? '';
}

/** The InclusiveNamespaces PrefixList of an exclusive-C14N transform or method, if any. */
function inclusivePrefixes(tree: ElementChildren, element: XmlElement): string[] | undefined {
  const list = tree.of(element, 'http://www.w3.org/2001/10/xml-exc-c14n#', 'InclusiveNamespaces')[0]?.attr('PrefixList')?.value;
  return list ? list.split(/\s+/).filter(Boolean).map((p) => (p === '#default' ? '' : p)) : undefined;
}

/** Verifies a payload's ds:Signature and ReplayProtect; returns undefined for an unsigned payload that is allowed. */
export function verifyPayloadSignature(input: string | Uint8Array, options: VerifyOptions): VerifiedSignature | undefined {
  const xml = decodeUntrusted(input, options.limits ?? DEFAULT_READ_LIMITS);
  return withLibxml2Document(xml, (doc) => verifyDocumentSignature(doc, options));
}

/** The same checks on a document already parsed (parsePayload passes its own parse). */
export function verifyDocumentSignature(doc: XmlDocument, options: VerifyOptions): VerifiedSignature | undefined {
  const root = doc.root;
  const tree = new ElementChildren();
  if (root.namespaceUri !== NS.oadr || root.name !== 'oadrPayload') throw new OadrParseError('wrong-root', `root element is {${root.namespaceUri}}${root.name}; expected {${NS.oadr}}oadrPayload`);
  const signatures = tree.of(root, NS.ds, 'Signature');
  if (signatures.length === 0) {
    if (options.required) throw new OadrSignatureError('signature-missing', 'payload is unsigned but this party requires XML signatures (oadrXmlSignature=true)');
    return undefined;
  }
  if (signatures.length > 1) throw invalid('payload carries more than one ds:Signature');
  const signature = signatures[0]!;
  const signedObjects = tree.of(root, NS.oadr, 'oadrSignedObject');
  const signedObjectId = signedObjects.length === 1 ? signedObjects[0]!.attrs.find((a) => ['Id', 'ID', 'id'].includes(a.name))?.value : undefined;
  if (!signedObjectId) throw invalid('oadrSignedObject is missing or has no Id for the signature to reference');

  const certificateText = doc.find(X509_CERTIFICATE)[0]?.content;
  if (!certificateText) throw invalid('ds:Signature has no X509Certificate in its KeyInfo');
  const peer = peerCertificate(certificateText.replace(/\s+/g, ''));
  const certificate = peer.certificate;
  if (options.trustCertificate && !options.trustCertificate(certificate)) {
    throw invalid(`payload is signed by a certificate that is not trusted for this party (${certificate.subject.replace(/\n/g, ', ')})`);
  }

  // Core validation in the cheaper order (XML-DSig allows either): first the signature over
  // SignedInfo, so that a forged payload costs one verify and no digest of its content. The
  // canonical forms of SignedInfo and the references come from one pass over the document.
  const signedInfo = tree.only(signature, NS.ds, 'SignedInfo');
  const method = tree.only(signedInfo, NS.ds, 'CanonicalizationMethod');
  const c14n = algorithmOf(method);
  if (!(c14n in C14N)) throw invalid(`unsupported canonicalization ${c14n}`);
  const signatureMethod = SIGNATURES[algorithmOf(tree.only(signedInfo, NS.ds, 'SignatureMethod'))];
  if (!signatureMethod) throw invalid(`unsupported signature method ${algorithmOf(tree.only(signedInfo, NS.ds, 'SignatureMethod'))}`);
  const publicKey = peer.publicKey;
  if (publicKey.asymmetricKeyType !== signatureMethod.key) throw invalid(`signature method needs a ${signatureMethod.key.toUpperCase()} key, the certificate holds ${publicKey.asymmetricKeyType}`);
  const value = Buffer.from(tree.only(signature, NS.ds, 'SignatureValue').content.replace(/\s+/g, ''), 'base64');
  // One look for Id-bearing elements serves every reference, and keeps each element the same
  // object from the cut to the digest.
  const bearers = idBearers(doc);
  const targetsOf = (id: string): XmlElement[] => elementsWithId(doc, id, bearers);
  const cut = cutInclusiveForms(tree, doc, signedInfo, method, references(tree, signedInfo), targetsOf);
  const canonicalForm = (element: XmlElement, mode: (typeof C14N)[C14nAlgorithm], prefixes: string[] | undefined): string =>
    (mode === XmlC14NMode.XML_C14N_1_0 && !prefixes?.length ? cut.get(element) : undefined) ?? canonical(element, mode, prefixes);
  const material = Buffer.from(canonicalForm(signedInfo, C14N[c14n as C14nAlgorithm], inclusivePrefixes(tree, method)));
  const valid = cryptoVerify(signatureMethod.hash, material, { key: publicKey, ...(signatureMethod.key === 'ec' ? { dsaEncoding: 'ieee-p1363' as const } : {}) }, value);
  if (!valid) throw invalid('signature does not match the payload (tampered content or wrong key)');
  // Step 2: every reference's digest, over content that may be large.
  const referenced = new Set<string>();
  if (references(tree, signedInfo).length === 0) throw invalid('ds:SignedInfo has no Reference');
  for (const reference of references(tree, signedInfo)) {
    const uri = reference.attr('URI')?.value ?? '';
    if (!uri.startsWith('#')) throw invalid(`reference URI '${uri}' is not a same-document reference`);
    const id = uri.slice(1);
    const targets = targetsOf(id);
    if (targets.length !== 1) throw invalid(`reference #${id} must name exactly one element (found ${targets.length}): refusing a possible signature-wrapping attack`);
    const target = targets[0]!;
    for (const transform of transformsOf(tree, reference)) {
      const algorithm = algorithmOf(transform);
      if (algorithm === ENVELOPED) {
        for (let p = signature.parent; p; p = p.parent) if (p.isSameNode(target)) throw invalid('enveloped-signature transforms are not supported');
        continue;
      }
      if (!(algorithm in C14N)) throw invalid(`unsupported transform ${algorithm}`);
    }
    const { mode, prefixes } = referenceCanonicalization(tree, reference);
    const digestAlgorithm = DIGESTS[algorithmOf(tree.only(reference, NS.ds, 'DigestMethod'))];
    if (!digestAlgorithm) throw invalid(`unsupported digest method ${algorithmOf(tree.only(reference, NS.ds, 'DigestMethod'))}`);
    const expected = Buffer.from(tree.only(reference, NS.ds, 'DigestValue').content.replace(/\s+/g, ''), 'base64');
    const actual = createHash(digestAlgorithm).update(canonicalForm(target, mode, prefixes)).digest();
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw invalid(`digest of #${id} does not match: the content was changed after signing`);
    referenced.add(id);
  }

  if (!referenced.has(signedObjectId)) throw invalid('signature does not cover oadrSignedObject');

  // The ReplayProtect element counts only inside a signed part of the signature, else it could be swapped.
  const replay = signedReplayProtect(tree, doc, signature, referenced);
  if (!replay) throw invalid('signature has no signed dsp:ReplayProtect (timestamp and nonce are mandatory in 2.0b)');
  let timestamp: DateTime;
  try {
    timestamp = parseDateTime(replay.timestamp, 'ReplayProtect/timestamp');
  } catch (cause) {
    if (!(cause instanceof OadrError)) throw cause;
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
  return { certificate, certificateSha256: peer.sha256, timestamp, nonce: replay.nonce };
}

function references(tree: ElementChildren, signedInfo: XmlElement): XmlElement[] {
  return tree.of(signedInfo, NS.ds, 'Reference');
}

function transformsOf(tree: ElementChildren, reference: XmlElement): XmlElement[] {
  const transforms = tree.of(reference, NS.ds, 'Transforms')[0];
  return transforms ? tree.of(transforms, NS.ds, 'Transform') : [];
}

/** The canonicalisation a reference's last C14N transform asks for (inclusive C14N 1.0 when none). */
function referenceCanonicalization(tree: ElementChildren, reference: XmlElement): { mode: (typeof C14N)[C14nAlgorithm]; prefixes: string[] | undefined } {
  let mode: (typeof C14N)[C14nAlgorithm] = XmlC14NMode.XML_C14N_1_0;
  let prefixes: string[] | undefined;
  for (const transform of transformsOf(tree, reference)) {
    const algorithm = algorithmOf(transform);
    if (algorithm in C14N) {
      mode = C14N[algorithm as C14nAlgorithm];
      prefixes = inclusivePrefixes(tree, transform);
    }
  }
  return { mode, prefixes };
}

/**
 * The inclusive C14N 1.0 forms the signature will need (SignedInfo and each reference that names
 * exactly one element), cut from one whole-document canonicalisation instead of one node-set
 * pass each, whose per-node JavaScript callback dominated a signed request. Anything odd is left
 * out here and judged by the checks that follow, on libxml2's node-set way.
 */
function cutInclusiveForms(tree: ElementChildren, doc: XmlDocument, signedInfo: XmlElement, method: XmlElement, referenceList: readonly XmlElement[], targetsOf: (id: string) => XmlElement[]): Map<XmlElement, string> {
  const wanted: XmlElement[] = [];
  if (algorithmOf(method) === C14N_BY_NAME.inclusive && !inclusivePrefixes(tree, method)?.length) wanted.push(signedInfo);
  for (const reference of referenceList) {
    const uri = reference.attr('URI')?.value ?? '';
    let targets: XmlElement[] = [];
    try {
      if (uri.startsWith('#')) targets = targetsOf(uri.slice(1));
    } catch (error) {
      if (!(error instanceof OadrSignatureError)) throw error; // the reference loop reports it, after the signature check
    }
    const { mode, prefixes } = referenceCanonicalization(tree, reference);
    if (targets.length === 1 && mode === XmlC14NMode.XML_C14N_1_0 && !prefixes?.length) wanted.push(targets[0]!);
  }
  const forms = inclusiveCanonicalSubtrees(doc, wanted);
  const cut = new Map<XmlElement, string>();
  wanted.forEach((element, i) => {
    const form = forms[i];
    if (form !== undefined) cut.set(element, form);
  });
  return cut;
}

function signedReplayProtect(tree: ElementChildren, doc: XmlDocument, signature: XmlElement, referenced: Set<string>): { timestamp: string; nonce: string } | undefined {
  for (const node of doc.find(REPLAY_PROTECT)) {
    if (!(node instanceof XmlElement)) continue;
    let covered = false;
    for (let n: XmlElement | null = node; n && !n.isSameNode(signature); n = n.parent) {
      const id = n.attrs.find((a) => ['Id', 'ID', 'id'].includes(a.name))?.value;
      if (id && referenced.has(id)) covered = true;
    }
    if (!covered) continue;
    const timestamp = tree.of(node, NS.dsp, 'timestamp')[0]?.content.trim();
    const nonce = tree.of(node, NS.dsp, 'nonce')[0]?.content.trim();
    if (timestamp && nonce) return { timestamp, nonce };
  }
  return undefined;
}
