import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializePayload, signPayload, type OadrMessage } from '../../schemas/index.js';
import { openTestPki, readPem } from '../../src/pki.js';
import { apiCall, postOadr, startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';

const venIdOf = (certPath: string): string => createHash('sha256').update(new X509Certificate(readFileSync(certPath)).raw).digest('hex').slice(-20);
const registration = (venId?: string, xmlSignature = false): OadrMessage => ({
  type: 'oadrCreatePartyRegistration', requestId: 'reg-1', ...(venId ? { venId } : {}), profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature, httpPullModel: true,
});

describe('VTN over HTTPS with mutual TLS', () => {
  let running: RunningVtn;
  beforeAll(async () => {
    running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'vtn-mtls-')));
  });
  afterAll(() => running.vtn.stop());

  it.each([['rsa', 'AES128-SHA256'], ['ecdsa', 'ECDHE-ECDSA-AES128-SHA256']] as const)('registers a VEN with an %s certificate over the 2.0b suite %s alone', async (algorithm, cipher) => {
    const ven = running.pki.issue(`mtls-${algorithm}`, algorithm);
    const reply = await postOadr(running.oadrUrl, 'EiRegisterParty', registration(), ven, running.pki, { ciphers: cipher });
    expect(reply.cipher).toBe(cipher);
    expect(reply.message).toMatchObject({ type: 'oadrCreatedPartyRegistration', venId: venIdOf(ven.certPath), response: { responseCode: 200 } });
    const poll = await postOadr(running.oadrUrl, 'OadrPoll', { type: 'oadrPoll', venId: venIdOf(ven.certPath) }, ven, running.pki);
    expect(poll.message).toMatchObject({ type: 'oadrRegisterReport' });
  });

  it('accepts the venID written as OpenLEADR does (upper case with colons)', async () => {
    const ven = running.pki.issue('mtls-colons', 'ecdsa');
    const colons = venIdOf(ven.certPath).toUpperCase().match(/../g)!.join(':');
    const reply = await postOadr(running.oadrUrl, 'EiRegisterParty', registration(colons), ven, running.pki);
    expect(reply.message).toMatchObject({ response: { responseCode: 200 }, venId: venIdOf(ven.certPath) });
  });

  it('refuses a payload whose venID differs from its certificate with 463', async () => {
    const ven = running.pki.issue('mtls-liar', 'ecdsa');
    const reply = await postOadr(running.oadrUrl, 'EiRegisterParty', registration('0123456789abcdef0123'), ven, running.pki);
    expect(reply.message).toMatchObject({ type: 'oadrResponse', response: { responseCode: 463 } });
  });

  it('refuses a client without a certificate, and one from another CA, at the handshake', async () => {
    await expect(postOadr(running.oadrUrl, 'OadrPoll', { type: 'oadrPoll', venId: 'x' }, undefined, running.pki)).rejects.toThrow();
    const stranger = openTestPki(mkdtempSync(join(tmpdir(), 'other-ca-'))).issue('stranger', 'ecdsa');
    await expect(postOadr(running.oadrUrl, 'OadrPoll', { type: 'oadrPoll', venId: 'x' }, stranger, running.pki)).rejects.toThrow();
  });

  it('answers malformed XML and an oversized body with 454 and a reason, and stores nothing', async () => {
    const ven = running.pki.issue('mtls-rsa', 'rsa');
    const broken = await postOadr(running.oadrUrl, 'OadrPoll', '<oadrPayload><unclosed></oadrPayload>', ven, running.pki);
    expect(broken.status).toBe(200);
    expect(broken.message).toMatchObject({ type: 'oadrResponse', response: { responseCode: 454, responseDescription: expect.stringMatching(/not well-formed/) } });
    const huge = await postOadr(running.oadrUrl, 'OadrPoll', 'x'.repeat(5 * 1024 * 1024), ven, running.pki);
    expect(huge.message).toMatchObject({ response: { responseCode: 454, responseDescription: expect.stringMatching(/exceeds/) } });
  });

  it('answers 404 outside the 2.0b service paths', async () => {
    const ven = running.pki.issue('mtls-rsa', 'rsa');
    const reply = await postOadr(running.oadrUrl.replace('/OpenADR2/Simple/2.0b', '/OpenADR2/Simple/2.0a'), 'OadrPoll', { type: 'oadrPoll', venId: 'x' }, ven, running.pki);
    expect(reply.status).toBe(404);
  });

  it('requires XML signatures from a VEN that announced them, verifies them, and refuses a replay', async () => {
    const ven = running.pki.issue('mtls-signer', 'ecdsa');
    const venId = venIdOf(ven.certPath);
    const identity = { privateKeyPem: readPem(ven.keyPath), certificatePem: readPem(ven.certPath) };
    const signed = (m: OadrMessage): string => signPayload(serializePayload(m), identity, { now: { epochMs: Date.now(), microsOfMs: 0 } });
    const registered = await postOadr(running.oadrUrl, 'EiRegisterParty', signed(registration(undefined, true)), ven, running.pki);
    expect(registered.message).toMatchObject({ response: { responseCode: 200 } });
    const unsigned = await postOadr(running.oadrUrl, 'OadrPoll', { type: 'oadrPoll', venId }, ven, running.pki);
    expect(unsigned.message).toMatchObject({ response: { responseCode: 463, responseDescription: expect.stringMatching(/unsigned/) } });
    const poll = signed({ type: 'oadrPoll', venId });
    expect((await postOadr(running.oadrUrl, 'OadrPoll', poll, ven, running.pki)).message).toMatchObject({ type: 'oadrRegisterReport' });
    expect((await postOadr(running.oadrUrl, 'OadrPoll', poll, ven, running.pki)).message).toMatchObject({ response: { responseCode: 463, responseDescription: expect.stringMatching(/replayed/) } });
    const other = running.pki.issue('mtls-rsa', 'rsa');
    const foreign = signPayload(serializePayload({ type: 'oadrPoll', venId }), { privateKeyPem: readPem(other.keyPath), certificatePem: readPem(other.certPath) }, { now: { epochMs: Date.now(), microsOfMs: 0 } });
    expect((await postOadr(running.oadrUrl, 'OadrPoll', foreign, ven, running.pki)).message).toMatchObject({ response: { responseCode: 463, responseDescription: expect.stringMatching(/not trusted/) } });
  });

  it('serves the operator API with its OpenAPI document and refuses bad input with the reason', async () => {
    const doc = await apiCall(running.apiUrl, 'GET', '/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
    const bad = await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', dtstart: 'tomorrow', signals: [] });
    expect(bad.status).toBe(400);
    expect(bad.json.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['dtstart', 'signals']));
    expect((await apiCall(running.apiUrl, 'GET', '/api/events/nope')).status).toBe(404);
  });
});
