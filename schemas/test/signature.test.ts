import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryReplayCache, OadrSignatureError, parsePayload, serializePayload, signPayload, validatePayloadText, verifyPayloadSignature } from '../index.js';
import type { DateTime, SigningIdentity, VerifyOptions } from '../index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const identity = (name: string): SigningIdentity => ({
  privateKeyPem: readFileSync(join(fixtures, `${name}.key`), 'utf8'),
  certificatePem: readFileSync(join(fixtures, `${name}.crt`), 'utf8'),
});
const rsa = identity('ven-rsa');
const ecdsa = identity('ven-ecdsa');
const intruder = identity('intruder-rsa');

const now: DateTime = { epochMs: Date.UTC(2026, 10, 24, 7, 0, 0), microsOfMs: 0 };
const later = (ms: number): DateTime => ({ epochMs: now.epochMs + ms, microsOfMs: 0 });
const unsigned = serializePayload({ type: 'oadrPoll', venId: '2ad5b7c81e4f0a9d3c6b' });
const options = (overrides: Partial<VerifyOptions> = {}): VerifyOptions => ({ now, replayCache: new MemoryReplayCache(10 * 60_000), required: true, ...overrides });

function failure(run: () => unknown): OadrSignatureError {
  try {
    run();
  } catch (error) {
    if (error instanceof OadrSignatureError) return error;
    throw error;
  }
  throw new Error('expected an OadrSignatureError');
}

describe.each([['RSA (rsa-sha256)', rsa], ['ECDSA P-256 (ecdsa-sha256)', ecdsa]])('%s', (_label, signer) => {
  it('signs a payload that still validates against the XSD and verifies', () => {
    const signed = signPayload(unsigned, signer, { now, nonce: 'n-1' });
    expect(() => validatePayloadText(signed)).not.toThrow();
    expect(parsePayload(signed)).toMatchObject({ signed: true, message: { type: 'oadrPoll' } });
    const verified = verifyPayloadSignature(signed, options());
    expect(verified).toMatchObject({ nonce: 'n-1', timestamp: now });
    expect(verified!.certificate.subject).toContain('flexbridge-test-ven');
  });

  it('refuses a tampered element', () => {
    const signed = signPayload(unsigned, signer, { now });
    const tampered = signed.replace('2ad5b7c81e4f0a9d3c6b', '9f0e1d2c3b4a59687766');
    expect(failure(() => verifyPayloadSignature(tampered, options()))).toMatchObject({ kind: 'signature-invalid', responseCode: 463 });
  });
});

describe('XML signatures', () => {
  it('signs with exclusive canonicalisation when asked, and verifies it', () => {
    const signed = signPayload(unsigned, rsa, { now, canonicalization: 'exclusive' });
    expect(signed).toContain('http://www.w3.org/2001/10/xml-exc-c14n#');
    expect(verifyPayloadSignature(signed, options())).toBeDefined();
  });

  it('refuses a signature made with another key than the certificate it carries', () => {
    const forged = signPayload(unsigned, { privateKeyPem: intruder.privateKeyPem, certificatePem: rsa.certificatePem }, { now });
    expect(failure(() => verifyPayloadSignature(forged, options()))).toMatchObject({ kind: 'signature-invalid' });
  });

  it('refuses a valid signature by a certificate the party does not trust', () => {
    const signed = signPayload(unsigned, intruder, { now });
    const trustOnlyVen = (c: { subject: string }): boolean => c.subject.includes('flexbridge-test-ven');
    expect(failure(() => verifyPayloadSignature(signed, options({ trustCertificate: trustOnlyVen })))).toMatchObject({ kind: 'signature-invalid' });
  });

  it('refuses an unsigned payload where signatures are required, and allows it where they are not', () => {
    expect(failure(() => verifyPayloadSignature(unsigned, options()))).toMatchObject({ kind: 'signature-missing', responseCode: 463 });
    expect(verifyPayloadSignature(unsigned, options({ required: false }))).toBeUndefined();
  });

  it('refuses a replayed nonce', () => {
    const signed = signPayload(unsigned, rsa, { now, nonce: 'once' });
    const cache = new MemoryReplayCache(10 * 60_000);
    expect(verifyPayloadSignature(signed, options({ replayCache: cache }))).toBeDefined();
    expect(failure(() => verifyPayloadSignature(signed, options({ replayCache: cache, now: later(1000) })))).toMatchObject({ kind: 'replayed' });
  });

  it('refuses a stale timestamp and one from too far in the future', () => {
    const signed = signPayload(unsigned, rsa, { now });
    expect(failure(() => verifyPayloadSignature(signed, options({ now: later(6 * 60_000) })))).toMatchObject({ kind: 'stale' });
    expect(failure(() => verifyPayloadSignature(signed, options({ now: later(-6 * 60_000) })))).toMatchObject({ kind: 'stale' });
    expect(verifyPayloadSignature(signed, options({ now: later(4 * 60_000) }))).toBeDefined();
  });

  it('refuses a ReplayProtect nonce changed after signing', () => {
    const signed = signPayload(unsigned, rsa, { now, nonce: 'original' });
    expect(failure(() => verifyPayloadSignature(signed.replace('>original<', '>fresh<'), options()))).toMatchObject({ kind: 'signature-invalid' });
  });

  it('refuses a signature wrapped around a second oadrSignedObject with the same Id', () => {
    const signed = signPayload(unsigned, rsa, { now });
    const evil = serializePayload({ type: 'oadrPoll', venId: 'evil' }).match(/<oadr:oadrSignedObject[\s\S]*<\/oadr:oadrSignedObject>/)![0];
    const wrapped = signed.replace('</oadr:oadrPayload>', `${evil}</oadr:oadrPayload>`);
    expect(failure(() => verifyPayloadSignature(wrapped, options()))).toMatchObject({ kind: 'signature-invalid' });
  });

  it('refuses a payload with its signature removed but the signed object kept, when signatures are required', () => {
    const signed = signPayload(unsigned, rsa, { now });
    const stripped = signed.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    expect(failure(() => verifyPayloadSignature(stripped, options()))).toMatchObject({ kind: 'signature-missing' });
  });

  it('verifies the signature while parsing when the caller asks for it', () => {
    const signed = signPayload(unsigned, ecdsa, { now, nonce: 'n-parse' });
    const parsed = parsePayload(signed, { signature: { now, replayCache: new MemoryReplayCache(60_000), required: true } });
    expect(parsed.message).toEqual({ type: 'oadrPoll', venId: '2ad5b7c81e4f0a9d3c6b' });
    expect(parsed.verifiedSignature).toMatchObject({ nonce: 'n-parse' });
    expect(() => parsePayload(unsigned, { signature: { now, replayCache: new MemoryReplayCache(60_000), required: true } })).toThrow(OadrSignatureError);
  });
});
