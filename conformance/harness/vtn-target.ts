import { createHash, X509Certificate } from 'node:crypto';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { request as plainRequest } from 'node:http';
import { OadrError, parsePayload, serializePayload, signPayload, type OadrMessage, type ServiceName } from '../../schemas/index.js';
import { OPENADR_CIPHERS } from '../../vtn/transport/tls.js';
import { CaseFailure, type CaseContext, type Exchange, type VenIdentity } from './case.js';

/** A VTN under test: the harness acts as its VENs. */
export interface VtnTarget {
  /** Base URL up to /OpenADR2/Simple/2.0b. */
  readonly oadrUrl: string;
  /** PEM of the CA the VTN's certificate chains to. */
  readonly ca: string;
  /** Issues client certificates the VTN trusts, one per fresh VEN the cases need. */
  readonly identities: (label: string) => { keyPem: string; certPem: string };
  /**
   * How the harness makes the VTN issue or change an event for a VEN (each VTN has its own operator
   * interface); cases that need it are not applicable without it.
   */
  readonly operator?: VtnOperator;
  /** Sign every typed payload (for VTNs that insist on XML signatures, as OpenLEADR's does). */
  readonly signEverything?: boolean;
}

export interface VtnOperator {
  issueEvent(venId: string, eventId: string, value: number): Promise<void>;
  /** Absent when the VTN offers no way to change an issued event. */
  modifyEvent?(venId: string, eventId: string, value: number): Promise<void>;
}

/** FlexBridge's operator API (POST /api/programs, /api/events, PUT /api/events/ID). */
export function flexBridgeOperator(apiUrl: string): VtnOperator {
  const call = async (method: string, path: string, body: unknown): Promise<void> => {
    const res = await fetch(`${apiUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status >= 300 && !(path === '/api/programs' && res.status === 409)) throw new CaseFailure(`operator API ${method} ${path} answered ${res.status}: ${await res.text()}`);
  };
  const event = (venId: string, eventId: string, value: number) => ({
    programId: 'conformance', eventId, dtstart: Date.now() + 3_600_000, targets: { venIds: [venId] }, responseRequired: 'always',
    signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 1_800_000, value }, { durationMs: 1_800_000, value: 0 }] }],
  });
  return {
    async issueEvent(venId, eventId, value) {
      await call('POST', '/api/programs', { programId: 'conformance', name: 'Conformance', marketContext: 'http://flexbridge.example/conformance' });
      await call('POST', '/api/events', event(venId, eventId, value));
    },
    modifyEvent: (venId, eventId, value) => call('PUT', `/api/events/${encodeURIComponent(eventId)}`, event(venId, eventId, value)),
  };
}

/** The 2.0b venID of a certificate: the last 20 hex digits of its SHA-256 fingerprint. */
export function venIdOf(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex').slice(-20);
}

function post(url: string, xml: string, ven: VenIdentity, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? request : plainRequest;
    const req = send(target, {
      method: 'POST', agent: false, timeout: 30_000, headers: { 'content-type': 'application/xml; charset=utf-8' },
      ...(target.protocol === 'https:' ? { key: ven.keyPem, cert: ven.certPem, ca, ciphers: OPENADR_CIPHERS, maxVersion: 'TLSv1.2' as const } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(xml);
  });
}

/** Where the VTN pushes to one of the harness's VENs, and what it pushed. */
export interface PushEndpoint {
  /** The oadrTransportAddress to register with. */
  readonly address: string;
  readonly received: { service: string; message: OadrMessage }[];
  /** How the harness VEN answers a push (default oadrResponse 200). */
  answer: (message: OadrMessage) => OadrMessage;
}

export interface VtnCaseContext extends CaseContext<VtnTarget> {
  readonly defaultVen: VenIdentity;
  /** Set when the case runs over the XMPP binding: the VEN's full JID, its transport address. */
  readonly xmpp?: { jidOf(ven: VenIdentity): string };
  /** Opens an HTTPS endpoint (mutual TLS, the VEN's certificate) that the VTN can push to. */
  pushEndpoint(ven: VenIdentity): Promise<PushEndpoint>;
  stop(): Promise<void>;
}

export function vtnCaseContext(target: VtnTarget): VtnCaseContext {
  const exchanges: Exchange[] = [];
  const servers: Server[] = [];
  const newVen = (label: string): VenIdentity => {
    const { keyPem, certPem } = target.identities(label);
    return { label, keyPem, certPem, venId: venIdOf(certPem) };
  };
  const defaultVen = newVen('conformance-ven');
  return {
    target, exchanges, newVen, defaultVen,
    async pushEndpoint(ven) {
      const endpoint: PushEndpoint = { address: '', received: [], answer: () => ({ type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, venId: ven.venId }) };
      const server = createServer({ key: ven.keyPem, cert: ven.certPem, ca: target.ca, requestCert: true, rejectUnauthorized: true, ciphers: OPENADR_CIPHERS, maxVersion: 'TLSv1.2' }, (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const service = (req.url ?? '').split('/').at(-1) ?? '';
          let reply: string;
          try {
            const { message } = parsePayload(body);
            endpoint.received.push({ service, message });
            reply = serializePayload(endpoint.answer(message));
          } catch (error) {
            endpoint.received.push({ service, message: { type: 'oadrResponse', response: { responseCode: 454, responseDescription: `not schema-valid: ${error instanceof Error ? error.message : String(error)}`, requestId: '' } } });
            reply = serializePayload({ type: 'oadrResponse', response: { responseCode: 454, requestId: '' } });
          }
          exchanges.push({ service: service as ServiceName, sent: reply, received: body, status: 200 });
          res.writeHead(200, { 'content-type': 'application/xml' }).end(reply);
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      servers.push(server);
      return Object.assign(endpoint, { address: `https://127.0.0.1:${(server.address() as AddressInfo).port}` });
    },
    async stop() {
      for (const s of servers) await new Promise<void>((r) => { s.close(() => r()); s.closeAllConnections(); });
    },
    async send(service: ServiceName, payload: OadrMessage | string, options = {}) {
      const ven = options.as ?? defaultVen;
      let xml = typeof payload === 'string' ? payload : serializePayload(payload);
      if (options.sign ?? (typeof payload !== 'string' && target.signEverything === true)) xml = signPayload(xml, { privateKeyPem: ven.keyPem, certificatePem: ven.certPem }, { now: { epochMs: Date.now(), microsOfMs: 0 } });
      const { status, body } = await post(`${target.oadrUrl.replace(/\/$/, '')}/${service}`, xml, ven, target.ca);
      exchanges.push({ service, sent: xml, received: body, status });
      if (status !== 200) throw new CaseFailure(`${service} answered HTTP ${status} (2.0b errors travel in an HTTP 200 eiResponse)`);
      try {
        return parsePayload(body).message;
      } catch (error) {
        throw new CaseFailure(`the VTN's answer is not a schema-valid 2.0b payload: ${error instanceof OadrError ? error.message : String(error)}`);
      }
    },
  };
}
