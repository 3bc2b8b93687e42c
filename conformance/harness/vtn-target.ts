import { createHash, X509Certificate } from 'node:crypto';
import { request } from 'node:https';
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

export function vtnCaseContext(target: VtnTarget): CaseContext<VtnTarget> & { defaultVen: VenIdentity } {
  const exchanges: Exchange[] = [];
  const newVen = (label: string): VenIdentity => {
    const { keyPem, certPem } = target.identities(label);
    return { label, keyPem, certPem, venId: venIdOf(certPem) };
  };
  const defaultVen = newVen('conformance-ven');
  return {
    target, exchanges, newVen, defaultVen,
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
