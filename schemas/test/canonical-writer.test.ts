import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { XmlC14NMode, type XmlElement } from 'libxml2-wasm';
import { canonicalSignedObject, MemoryReplayCache, NS, parsePayload, serializePayload, serializeSignedPayload, signPayload, verifyPayloadSignature, type OadrMessage } from '../index.js';
import { withLibxml2Document } from '../codec/xml-document.js';
import { loadVectors } from './vectors.js';

// Our answers are signed from the canonical writer's output instead of canonicalising the parsed
// payload with libxml2. That is only sound if the bytes are libxml2's, for every message.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const rsa = { privateKeyPem: readFileSync(join(fixtures, 'ven-rsa.key'), 'utf8'), certificatePem: readFileSync(join(fixtures, 'ven-rsa.crt'), 'utf8') };
const ecdsa = { privateKeyPem: readFileSync(join(fixtures, 'ven-ecdsa.key'), 'utf8'), certificatePem: readFileSync(join(fixtures, 'ven-ecdsa.crt'), 'utf8') };
const now = { epochMs: Date.UTC(2026, 10, 24, 7), microsOfMs: 0 };

/** libxml2's inclusive C14N 1.0 of the payload's oadrSignedObject, as the verifier computes it. */
function libxml2Canonical(xml: string): string {
  return withLibxml2Document(xml, (doc) => {
    const element = doc.get('/*/oadr:oadrSignedObject', { oadr: NS.oadr }) as XmlElement;
    return doc.canonicalizeToString({ mode: XmlC14NMode.XML_C14N_1_0, nodeSet: new Set([element]) });
  });
}

const vectors = [...loadVectors(), ...loadVectors('foreign')].map((v) => [v.name, parsePayload(v.xml, { validate: false }).message] as const);

describe('canonical writer', () => {
  it.each(vectors)('writes %s\'s oadrSignedObject in libxml2\'s canonical form (or declines it)', (_name, message) => {
    const written = canonicalSignedObject(message);
    const reference = libxml2Canonical(serializePayload(message));
    if (written === undefined) expect(JSON.stringify(message)).toContain('greenButton');
    else expect(written).toBe(reference);
  });

  it('matches libxml2 on any text and attribute value: escapes, line ends, tabs, quotes, astral characters', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '&', '<', '>', '"', "'", ']', '\t', '\n', '\r', 'é', '😀', '#', ';') });
    fc.assert(fc.property(text, text, text, fc.integer({ min: 0, max: 999 }), (requestId, description, venId, code) => {
      const messages: OadrMessage[] = [
        { type: 'oadrResponse', response: { responseCode: code, responseDescription: description, requestId }, venId },
        { type: 'oadrCancelOpt', requestId, optId: description, venId },
        { type: 'oadrCreatedEvent', venId, response: { responseCode: 200, requestId }, eventResponses: [{ responseCode: code, requestId, responseDescription: description, qualifiedEventId: { eventId: description, modificationNumber: code }, optType: 'optOut' }] },
      ];
      for (const m of messages) expect(canonicalSignedObject(m)).toBe(libxml2Canonical(serializePayload(m)));
    }), { numRuns: 300 });
  });

  it('declines what only a parser could canonicalise: a character XML 1.0 does not allow', () => {
    expect(canonicalSignedObject({ type: 'oadrResponse', response: { responseCode: 200, requestId: 'a\u0001b' } })).toBeUndefined();
    expect(canonicalSignedObject({ type: 'oadrResponse', response: { responseCode: 200, requestId: 'a\uFFFEb' } })).toBeUndefined();
  });

  it.each(vectors)('signs %s byte for byte as signing the parsed payload does (RSA, deterministic)', (_name, message) => {
    const options = { now, nonce: 'nonce-1' };
    expect(serializeSignedPayload(message, rsa, options)).toBe(signPayload(serializePayload(message), rsa, options));
  });

  it('signs with ECDSA what our verifier accepts, any nonce; exclusive C14N takes the parser\'s way', () => {
    const message: OadrMessage = { type: 'oadrPoll', venId: 'ven-1' };
    for (const nonce of ['plain', 'a&b<c>"d\'', 'line\r\nend\ttab']) {
      const signed = serializeSignedPayload(message, ecdsa, { now, nonce });
      expect(verifyPayloadSignature(signed, { now, replayCache: new MemoryReplayCache(60_000), required: true })).toMatchObject({ nonce: nonce.replace(/\r\n/g, '\n') });
    }
    const exclusive = serializeSignedPayload(message, ecdsa, { now, nonce: 'x', canonicalization: 'exclusive' });
    expect(verifyPayloadSignature(exclusive, { now, replayCache: new MemoryReplayCache(60_000), required: true })).toMatchObject({ nonce: 'x' });
  });
});
