import { createHash, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { OadrError, parsePayload, ResponseCode, serializePayload, serverTlsOptions, signPayload, type OadrMessage, type ServiceName } from '../../schemas/index.js';
import { CaseFailure, type CaseContext, type Exchange, type VenIdentity } from './case.js';
import { postXml } from './post-xml.js';

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

/** What an event the harness has the VTN issue looks like (defaults: one SIMPLE level signal, response always). */
export interface EventSpec {
  readonly signal?: 'SIMPLE' | 'ELECTRICITY_PRICE' | 'LOAD_DISPATCH' | `x-${string}`;
  /** Adds an eiEventBaseline (two hourly intervals the day before). */
  readonly baseline?: boolean;
  readonly responseRequired?: 'always' | 'never';
  /** Targets these resources of the VEN (the event still names the VEN). */
  readonly resourceIds?: readonly string[];
  /** When it starts (default one hour from now). */
  readonly startInMs?: number;
}

/** A report the harness has the VTN request from one of its VENs. */
export interface ReportAsk {
  readonly reportSpecifierId: string;
  readonly rIds?: readonly string[];
  readonly granularityMs: number;
  readonly reportBackMs: number;
  readonly dtstart?: number;
  readonly durationMs?: number;
}

/**
 * How the harness makes the VTN act on its own (each VTN has its own operator interface). Every
 * capability is optional: cases needing one the VTN lacks are reported not applicable.
 */
export interface VtnOperator {
  issueEvent(venId: string, eventId: string, value: number, spec?: EventSpec): Promise<void>;
  modifyEvent?(venId: string, eventId: string, value: number, spec?: EventSpec): Promise<void>;
  cancelEvent?(eventId: string): Promise<void>;
  cancelRegistration?(venId: string): Promise<void>;
  requestReregistration?(venId: string): Promise<void>;
  /** Returns the reportRequestIDs in the order asked. */
  requestReports?(venId: string, asks: readonly ReportAsk[]): Promise<string[]>;
  cancelReports?(venId: string, reportRequestIds: readonly string[], reportToFollow: boolean): Promise<void>;
  /** Whether the VTN holds the VEN as taking part in the event (after its answers and opts). */
  participation?(venId: string, eventId: string): Promise<'optIn' | 'optOut' | undefined>;
}

/** FlexBridge's operator API (docs/vtn.md: programs, events, VENs, report requests). */
export function flexBridgeOperator(apiUrl: string, token?: string): VtnOperator {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${apiUrl}${path}`, {
      method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300 && !(path === '/api/programs' && res.status === 409)) throw new CaseFailure(`operator API ${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) as unknown : undefined;
  };
  const event = (venId: string, eventId: string, value: number, spec: EventSpec = {}) => {
    const dtstart = Date.now() + (spec.startInMs ?? 3_600_000);
    const signal = spec.signal ?? 'SIMPLE';
    const shape = signal === 'ELECTRICITY_PRICE' ? { signalType: 'price' } : signal === 'LOAD_DISPATCH' ? { signalType: 'setpoint', units: 'kW' } : { signalType: 'level' };
    return {
      programId: 'conformance', eventId, dtstart, targets: { venIds: [venId], ...(spec.resourceIds ? { resourceIds: spec.resourceIds } : {}) }, responseRequired: spec.responseRequired ?? 'always',
      signals: [{ signalName: signal, ...shape, intervals: [{ durationMs: 1_800_000, value }, { durationMs: 1_800_000, value: signal === 'SIMPLE' ? 0 : value + 1 }] }],
      ...(spec.baseline ? { baseline: { dtstart: dtstart - 86_400_000, baselineName: 'day-before', intervals: [{ durationMs: 1_800_000, value: 3.05 }, { durationMs: 1_800_000, value: 3.08 }] } } : {}),
    };
  };
  const path = (venId: string, rest: string) => `/api/vens/${encodeURIComponent(venId)}/${rest}`;
  return {
    async issueEvent(venId, eventId, value, spec) {
      await call('POST', '/api/programs', { programId: 'conformance', name: 'Conformance', marketContext: 'http://flexbridge.example/conformance' });
      await call('POST', '/api/events', event(venId, eventId, value, spec));
    },
    modifyEvent: async (venId, eventId, value, spec) => { await call('PUT', `/api/events/${encodeURIComponent(eventId)}`, event(venId, eventId, value, spec)); },
    cancelEvent: async (eventId) => { await call('POST', `/api/events/${encodeURIComponent(eventId)}/cancel`, {}); },
    cancelRegistration: async (venId) => { await call('POST', path(venId, 'cancel-registration'), {}); },
    requestReregistration: async (venId) => { await call('POST', path(venId, 'reregister'), {}); },
    async requestReports(venId, asks) {
      const answer = await call('POST', path(venId, 'reports'), { requests: asks }) as { reportRequests: { reportRequestId: string }[] };
      return answer.reportRequests.map((r) => r.reportRequestId);
    },
    cancelReports: async (venId, reportRequestIds, reportToFollow) => { await call('POST', path(venId, 'reports/cancel'), { reportRequestIds, reportToFollow }); },
    async participation(venId, eventId) {
      const answer = await call('GET', `/api/events/${encodeURIComponent(eventId)}`) as { participation?: Record<string, 'optIn' | 'optOut'> };
      return answer.participation?.[venId];
    },
  };
}

/** The 2.0b venID of a certificate: the last 20 hex digits of its SHA-256 fingerprint. */
export function venIdOf(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex').slice(-20);
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
      const server = createServer(serverTlsOptions({ pairs: [{ key: ven.keyPem, cert: ven.certPem }], ca: target.ca }), (req, res) => {
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
            endpoint.received.push({ service, message: { type: 'oadrResponse', response: { responseCode: ResponseCode.invalidData, responseDescription: `not schema-valid: ${error instanceof Error ? error.message : String(error)}`, requestId: '' } } });
            reply = serializePayload({ type: 'oadrResponse', response: { responseCode: ResponseCode.invalidData, requestId: '' } });
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
      const { status, body } = await postXml(`${target.oadrUrl.replace(/\/$/, '')}/${service}`, xml, { key: ven.keyPem, cert: ven.certPem, ca: target.ca });
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
