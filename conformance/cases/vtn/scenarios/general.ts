// General (G1_40xx pull, G0_90xx push) and security scenarios, the harness as the VEN.
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { clientTlsOptions, OPENADR_SUITES, serializePayload, signPayload } from '../../../../schemas/index.js';
import { CaseFailure, expectCode, expectServed, expectThat, expectType, NotApplicable } from '../../../harness/case.js';
import { issue, openVen, operator, registeredVen, registerMetadata, vtnCase, type Scenario } from './common.js';

/** The two TLS suites the OpenADR Alliance mandates for 2.0b (RSA and ECC), by their OpenSSL names. */
const ALLIANCE_SUITES: readonly string[] = OPENADR_SUITES;

function handshake(url: URL, ca: string, cert?: { keyPem: string; certPem: string }): Promise<{ cipher: string; protocol: string; authorized: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 443), ...clientTlsOptions({ ca, ...(cert ? { key: cert.keyPem, cert: cert.certPem } : {}) }), ...(isIP(url.hostname) ? {} : { servername: url.hostname }) });
    const done = (r: { cipher: string; protocol: string; authorized: boolean; error?: string }): void => { socket.destroy(); resolve(r); };
    socket.once('secureConnect', () => {
      // A server that refuses the client certificate under TLS 1.2 closes right after the handshake; an HTTP request shows it.
      socket.write(`POST ${url.pathname}/OadrPoll HTTP/1.1\r\nhost: ${url.host}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      const info = { cipher: socket.getCipher().name, protocol: socket.getProtocol() ?? '', authorized: socket.authorized };
      let answered = false;
      socket.once('data', () => { answered = true; done({ ...info }); });
      socket.once('error', (e) => done({ ...info, authorized: false, error: e.message }));
      socket.once('close', () => { if (!answered) done({ ...info, authorized: false, error: 'closed without an answer' }); });
    });
    socket.once('error', (e) => done({ cipher: '', protocol: '', authorized: false, error: e.message }));
  });
}

/** 4010/9010: TLS 1.2 with an Alliance suite and the VTN's certificate from the CA; a client without a certificate is refused. */
export const cipherAndCertificates: Scenario = async (ctx, delivery, label) => {
  if (ctx.xmpp) throw new NotApplicable('over XMPP the TLS endpoint is the XMPP server\'s, not the VTN\'s');
  const ven = await registeredVen(ctx, label, delivery);
  const url = new URL(ctx.target.oadrUrl);
  if (url.protocol !== 'https:') throw new CaseFailure(`the VTN must be reached over HTTPS, not ${url.protocol}`);
  const ok = await handshake(url, ctx.target.ca, ven.identity);
  expectThat(ok.error === undefined, `TLS with the VEN's certificate failed: ${ok.error ?? ''}`);
  expectThat(ok.protocol === 'TLSv1.2', `TLS 1.2 is negotiated, got ${ok.protocol}`);
  expectThat(ALLIANCE_SUITES.includes(ok.cipher), `an Alliance suite (${ALLIANCE_SUITES.join(' or ')}) is negotiated, got ${ok.cipher}`);
  expectThat(ok.authorized, 'the VTN\'s certificate chains to the CA');
  const anonymous = await handshake(url, ctx.target.ca);
  expectThat(anonymous.error !== undefined, 'a client without a certificate must be refused');
};

/** 4011: a registered VEN with nothing queued polls and gets oadrResponse 200 naming it. */
export const emptyPoll: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  for (let i = 0; i < 10; i++) {
    const answer = await ven.send('OadrPoll', { type: 'oadrPoll', venId: ven.venId });
    if (answer.type !== 'oadrResponse') { ven.delivered.push(answer); continue; }
    expectCode(answer, 200);
    expectThat(answer.venId === undefined || answer.venId === ven.venId, `the empty answer names the VEN, got ${answer.venId ?? ''}`);
    return;
  }
  throw new CaseFailure('ten polls in a row still returned payloads: the queue never drains');
};

/** 4015: payloads queued for a VEN (an event, a report request, a re-registration request) come out one per poll, then oadrResponse. */
export const dequeue: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  await registerMetadata(ven);
  const eventId = await issue(ven, 1);
  await operator(ven).requestReports!(ven.venId, [{ reportSpecifierId: 'th-telemetry-status', granularityMs: 0, reportBackMs: 0 }]);
  await operator(ven).requestReregistration!(ven.venId);
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    const answer = await ven.send('OadrPoll', { type: 'oadrPoll', venId: ven.venId });
    if (answer.type === 'oadrResponse') break;
    seen.push(answer.type);
    if (answer.type === 'oadrDistributeEvent') expectThat(answer.events.some((e) => e.descriptor.eventId === eventId), 'the distribute carries the event');
  }
  for (const wanted of ['oadrDistributeEvent', 'oadrCreateReport', 'oadrRequestReregistration']) expectThat(seen.includes(wanted), `${wanted} is dequeued by polling; got ${seen.join(', ') || 'nothing'}`);
  expectThat(seen.indexOf('oadrCreateReport') < seen.indexOf('oadrRequestReregistration'), `payloads come out in the order queued: ${seen.join(', ')}`);
};

/** 4020/9020: concurrent 2.0a and 2.0b VENs — only when the VTN offers 2.0a. */
export const concurrentAandB: Scenario = async (ctx, delivery, label) => {
  const ven = await openVen(ctx, label, delivery);
  const answer = expectType(await ven.send('EiRegisterParty', { type: 'oadrQueryRegistration', requestId: randomUUID() }), 'oadrCreatedPartyRegistration');
  if (!answer.profiles.some((p) => p.profileName === '2.0a')) throw new NotApplicable(`the VTN offers only ${answer.profiles.map((p) => p.profileName).join(', ')}; concurrent 2.0a operation does not apply`);
  throw new CaseFailure('the VTN offers 2.0a: run the 2.0a case list beside this one (this harness speaks 2.0b only)');
};

// FlexBridge's own security cases (the certification list tests these in its separate security suite).

/** XS_0010: a payload whose venID is another registered VEN's is refused with 463. */
export const foreignVenId: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const other = await registeredVen(ctx, `${label}-other`, delivery);
  expectCode(await ven.send('OadrPoll', { type: 'oadrPoll', venId: other.venId }), 463);
};

/** XS_0020: a schema-invalid payload (an oadrPoll without venID) is refused with 454, in a schema-valid answer. */
export const schemaInvalid: Scenario = async (ctx, delivery, label) => {
  const ven = await registeredVen(ctx, label, delivery);
  const valid = serializePayload({ type: 'oadrPoll', venId: ven.venId });
  const invalid = valid.replace(/<([A-Za-z0-9]+:)?venID>[^<]*<\/([A-Za-z0-9]+:)?venID>/, '');
  expectThat(invalid !== valid, 'harness: could not remove the venID');
  expectCode(await ven.send('OadrPoll', invalid), 454);
};

const signed = (ven: { identity: { keyPem: string; certPem: string } }, xml: string): string => signPayload(xml, { privateKeyPem: ven.identity.keyPem, certificatePem: ven.identity.certPem }, { now: { epochMs: Date.now(), microsOfMs: 0 } });
const needsSignatures = (ctx: Parameters<Scenario>[0]): void => { if (ctx.xmpp) throw new NotApplicable('XML signatures are not offered over the XMPP binding here'); };

/** XS_0030: a signed payload altered after signing is refused with 463; the untampered one is served. */
export const tamperedSignature: Scenario = async (ctx, delivery, label) => {
  needsSignatures(ctx);
  const ven = await openVen(ctx, label, delivery);
  await ven.register({ xmlSignature: true });
  const requestId = randomUUID();
  const good = signed(ven, serializePayload({ type: 'oadrRequestEvent', requestId, venId: ven.venId }));
  const tampered = good.replace(requestId, randomUUID());
  expectThat(tampered !== good, 'harness: could not alter the payload');
  expectCode(await ven.send('EiEvent', tampered), 463);
  expectServed(await ven.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }, { sign: true }), 'the untampered signed request');
};

/** XS_0040: the same signed payload (same ReplayProtect nonce) twice is served once, then refused with 463. */
export const replayed: Scenario = async (ctx, delivery, label) => {
  needsSignatures(ctx);
  const ven = await openVen(ctx, label, delivery);
  await ven.register({ xmlSignature: true });
  const copy = signed(ven, serializePayload({ type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }));
  expectServed(await ven.send('EiEvent', copy), 'the first copy');
  expectCode(await ven.send('EiEvent', copy), 463);
};

/** XS_0050: a VEN that announced signatures and then sends an unsigned payload is refused with 463. */
export const unsignedFromSigner: Scenario = async (ctx, delivery, label) => {
  needsSignatures(ctx);
  const ven = await openVen(ctx, label, delivery);
  await ven.register({ xmlSignature: true });
  expectCode(await ven.send('EiEvent', { type: 'oadrRequestEvent', requestId: randomUUID(), venId: ven.venId }, { sign: false }), 463);
};

/** The certification cases this module's scenarios run: one ID, title and requirement each. */
export const cases = [
  vtnCase({
    id: 'G0_9010_TH_VEN', delivery: 'push',
    title: 'Security - Cipher and X.509 Cert support',
    requirement: 'The VTN negotiates TLS 1.2 with an OpenADR Alliance suite, presents a certificate from the CA, and refuses a client without a certificate.',
    run: cipherAndCertificates,
  }),
  vtnCase({
    id: 'G0_9020_TH_VEN', delivery: 'push',
    title: 'VTN - Concurrent A and B operation',
    requirement: 'A VTN offering both profiles serves 2.0a and 2.0b VENs at once (applies only when the VTN offers 2.0a).',
    run: concurrentAandB,
  }),
  vtnCase({
    id: 'G1_4010_TH_VEN', delivery: 'pull',
    title: 'Security - Cipher and X.509 Cert support',
    requirement: 'The VTN negotiates TLS 1.2 with an OpenADR Alliance suite, presents a certificate from the CA, and refuses a client without a certificate.',
    run: cipherAndCertificates,
  }),
  vtnCase({
    id: 'G1_4011_TH_VEN', delivery: 'pull',
    title: 'VEN - Empty oadrPoll',
    requirement: 'A registered VEN\'s oadrPoll with nothing queued is answered with oadrResponse 200.',
    run: emptyPoll,
  }),
  vtnCase({
    id: 'G1_4015_TH_VEN', delivery: 'pull', needs: ['issueEvent', 'requestReports', 'requestReregistration'],
    title: 'VEN - De-Queue using oadrPoll',
    requirement: 'Payloads queued for a VEN (a distribute, a report request, a re-registration request) come out one per poll in the order queued, then oadrResponse.',
    run: dequeue,
  }),
  vtnCase({
    id: 'G1_4020_TH_VEN', delivery: 'pull',
    title: 'VTN - Concurrent A and B operation',
    requirement: 'A VTN offering both profiles serves 2.0a and 2.0b VENs at once (applies only when the VTN offers 2.0a).',
    run: concurrentAandB,
  }),
  vtnCase({
    id: 'XS_0010_TH_VEN', delivery: 'pull',
    title: 'FlexBridge security - venID of another VEN',
    requirement: 'A payload naming another registered VEN\'s venID is refused with 463 (the venID is bound to the certificate or XMPP account).',
    run: foreignVenId,
  }),
  vtnCase({
    id: 'XS_0020_TH_VEN', delivery: 'pull',
    title: 'FlexBridge security - schema-invalid payload',
    requirement: 'A payload that is not valid against the 2.0b schema (an oadrPoll without venID) is refused with 454, in a schema-valid answer.',
    run: schemaInvalid,
  }),
  vtnCase({
    id: 'XS_0030_TH_VEN', delivery: 'pull',
    title: 'FlexBridge security - tampered XML signature',
    requirement: 'A VEN registered with oadrXmlSignature sends a signed payload altered after signing: refused with 463; the untampered one is served.',
    run: tamperedSignature,
  }),
  vtnCase({
    id: 'XS_0040_TH_VEN', delivery: 'pull',
    title: 'FlexBridge security - replayed signed payload',
    requirement: 'The same signed payload (same ReplayProtect nonce) sent twice is served once and refused with 463 the second time.',
    run: replayed,
  }),
  vtnCase({
    id: 'XS_0050_TH_VEN', delivery: 'pull',
    title: 'FlexBridge security - unsigned payload from a signing VEN',
    requirement: 'A VEN registered with oadrXmlSignature that then sends an unsigned payload is refused with 463.',
    run: unsignedFromSigner,
  }),
];
