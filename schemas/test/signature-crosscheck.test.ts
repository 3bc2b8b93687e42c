import { createPrivateKey, createPublicKey, KeyObject, sign as cryptoSign, verify as cryptoVerify, type KeyLike } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { MemoryReplayCache, NS, serializePayload, serializeSignedPayload, signPayload, verifyPayloadSignature, formatDateTime, type OadrMessage } from '../index.js';

// Our XML-DSig (libxml2 C14N + Node crypto) checked against an independent implementation, xml-crypto.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const ECDSA = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
const C14N = { inclusive: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315', exclusive: 'http://www.w3.org/2001/10/xml-exc-c14n#' } as const;
const now = { epochMs: Date.UTC(2026, 10, 24, 7), microsOfMs: 0 };

class EcdsaSha256 {
  getAlgorithmName(): string { return ECDSA; }
  getSignature(signedInfo: string, key: KeyLike): string {
    return cryptoSign('sha256', Buffer.from(signedInfo), { key: key instanceof KeyObject ? key : createPrivateKey(key), dsaEncoding: 'ieee-p1363' }).toString('base64');
  }
  verifySignature(material: string, key: KeyLike, value: string): boolean {
    return cryptoVerify('sha256', Buffer.from(material), { key: key instanceof KeyObject ? key : createPublicKey(key), dsaEncoding: 'ieee-p1363' }, Buffer.from(value, 'base64'));
  }
}

function xmlCrypto(options: ConstructorParameters<typeof SignedXml>[0]): SignedXml {
  const sig = new SignedXml(options);
  (sig.SignatureAlgorithms as Record<string, unknown>)[ECDSA] = EcdsaSha256;
  return sig;
}

function signWithXmlCrypto(xml: string, key: string, cert: string, c14n: string, ec: boolean): string {
  const properties = `<ds:SignatureProperties xmlns:ds="${NS.ds}" Id="props"><ds:SignatureProperty Target="#sig"><dsp:ReplayProtect xmlns:dsp="${NS.dsp}"><dsp:timestamp>${formatDateTime(now)}</dsp:timestamp><dsp:nonce>xc-1</dsp:nonce></dsp:ReplayProtect></ds:SignatureProperty></ds:SignatureProperties>`;
  const sig = xmlCrypto({ privateKey: key, publicCert: cert, signatureAlgorithm: ec ? ECDSA : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: c14n, objects: [{ content: properties }] });
  sig.addReference({ xpath: "/*/*[local-name(.)='oadrSignedObject']", digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256', transforms: [c14n], uri: '#oadrSignedObject' });
  sig.addReference({ xpath: "//*[local-name(.)='SignatureProperties']", digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256', transforms: [c14n], uri: '#props' });
  sig.computeSignature(xml, { prefix: 'ds', attrs: { Id: 'sig' }, location: { reference: "/*/*[local-name(.)='oadrSignedObject']", action: 'before' } });
  return sig.getSignedXml();
}

describe.each([['RSA', 'ven-rsa', false], ['ECDSA', 'ven-ecdsa', true]] as const)('%s signatures cross-checked with xml-crypto', (_label, name, ec) => {
  const key = readFileSync(join(fixtures, `${name}.key`), 'utf8');
  const cert = readFileSync(join(fixtures, `${name}.crt`), 'utf8');
  const message: OadrMessage = { type: 'oadrCreatedEvent', venId: 'v', response: { responseCode: 200, requestId: 'r' }, eventResponses: [{ responseCode: 200, requestId: 'r', qualifiedEventId: { eventId: 'e & <1>', modificationNumber: 3 }, optType: 'optIn' }] };
  const payload = serializePayload(message);

  it('xml-crypto verifies what we sign from the canonical writer (inclusive C14N, no parse)', () => {
    const signed = serializeSignedPayload(message, { privateKeyPem: key, certificatePem: cert }, { now, nonce: 'n\r\n&<>' });
    const doc = new DOMParser().parseFromString(signed, 'text/xml');
    const sig = xmlCrypto({ publicCert: cert, getCertFromKeyInfo: () => null });
    sig.loadSignature(doc.getElementsByTagNameNS(NS.ds, 'Signature')[0]! as unknown as Parameters<SignedXml['loadSignature']>[0]);
    expect(sig.checkSignature(signed)).toBe(true);
  });

  it.each(['inclusive', 'exclusive'] as const)('xml-crypto verifies what we sign (%s C14N)', (c14n) => {
    const signed = signPayload(payload, { privateKeyPem: key, certificatePem: cert }, { now, canonicalization: c14n });
    const doc = new DOMParser().parseFromString(signed, 'text/xml');
    const signature = doc.getElementsByTagNameNS(NS.ds, 'Signature')[0]!;
    const sig = xmlCrypto({ publicCert: cert, getCertFromKeyInfo: () => null });
    sig.loadSignature(signature as unknown as Parameters<SignedXml['loadSignature']>[0]);
    expect(sig.checkSignature(signed)).toBe(true);
  });

  it.each(['inclusive', 'exclusive'] as const)('we verify what xml-crypto signs (%s C14N), and refuse it once tampered', (c14n) => {
    const signed = signWithXmlCrypto(payload, key, cert, C14N[c14n], ec);
    expect(verifyPayloadSignature(signed, { now, replayCache: new MemoryReplayCache(60_000), required: true })).toMatchObject({ nonce: 'xc-1' });
    expect(() => verifyPayloadSignature(signed.replace('<ei:optType>optIn', '<ei:optType>optOut'), { now, replayCache: new MemoryReplayCache(60_000), required: true })).toThrow(/digest of #oadrSignedObject does not match/);
  });
});
