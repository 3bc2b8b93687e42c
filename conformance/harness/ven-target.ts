import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { durationFromMs, OadrError, parsePayload, serializePayload, type OadrEvent, type OadrMessage, type ServiceName } from '../../schemas/index.js';
import { OPENADR_CIPHERS } from '../../vtn/transport/tls.js';
import { CaseFailure, type CaseContext, type Exchange } from './case.js';

/** A VEN under test: the harness plays its VTN. */
export interface VenTarget {
  /** The harness VTN's certificate and key (PEM), and the CA the VEN's certificate chains to. */
  readonly server: { readonly key: string; readonly cert: string; readonly ca: string };
  /** Starts the VEN pointed at `vtnUrl` (…/OpenADR2/Simple/2.0b), registration included. */
  start(vtnUrl: string): Promise<{ stop(): Promise<void> }>;
}

/** One payload the VEN sent, as the scripted VTN saw it. */
export interface Received {
  readonly service: ServiceName;
  readonly message: OadrMessage;
  readonly at: number;
}

/**
 * A scripted VTN on HTTPS (2.0b suites, mutual TLS): it answers registration, report metadata,
 * polls and event requests by default, serves the events and queued payloads a case sets, and
 * records everything the VEN sends. A payload that is not schema-valid fails the case.
 */
export class ScriptedVtn {
  readonly received: Received[] = [];
  readonly exchanges: Exchange[] = [];
  events: OadrEvent[] = [];
  readonly queue: OadrMessage[] = [];
  venId = `ven-under-test-${randomUUID().slice(0, 8)}`;
  /** A schema or protocol problem found while serving; reported by the case. */
  problem: string | undefined;
  /** Lets a case answer one payload its own way (return undefined for the default). */
  override: ((message: OadrMessage, service: ServiceName) => OadrMessage | string | undefined) | undefined;
  private server: Server | undefined;

  constructor(private readonly tls: VenTarget['server']) {}

  async listen(): Promise<string> {
    this.server = createServer({ key: this.tls.key, cert: this.tls.cert, ca: this.tls.ca, requestCert: true, rejectUnauthorized: true, ciphers: OPENADR_CIPHERS, maxVersion: 'TLSv1.2' }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const service = (req.url ?? '').split('/').at(-1) as ServiceName;
        const body = Buffer.concat(chunks).toString('utf8');
        let answer: string;
        try {
          const { message } = parsePayload(body);
          this.received.push({ service, message, at: Date.now() });
          const special = this.override?.(message, service);
          answer = typeof special === 'string' ? special : serializePayload(special ?? this.answer(message));
        } catch (error) {
          this.problem ??= `the VEN sent a payload that is not schema-valid 2.0b: ${error instanceof OadrError ? error.message : String(error)}`;
          answer = serializePayload({ type: 'oadrResponse', response: { responseCode: 454, responseDescription: 'invalid payload', requestId: '' } });
        }
        this.exchanges.push({ service, sent: answer, received: body, status: 200 });
        res.writeHead(200, { 'content-type': 'application/xml' }).end(answer);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}/OpenADR2/Simple/2.0b`;
  }

  close(): Promise<void> {
    return new Promise((r) => { this.server?.close(() => r()); this.server?.closeAllConnections(); });
  }

  /** Waits until the VEN has sent a payload satisfying `match` (after `since`). */
  async waitFor<T extends OadrMessage>(what: string, match: (m: OadrMessage) => m is T, timeoutMs = 15_000, since = 0): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((r) => r.at >= since && match(r.message));
      if (found) return found.message as T;
      if (this.problem) throw new CaseFailure(this.problem);
      if (Date.now() > deadline) throw new CaseFailure(`timed out after ${timeoutMs} ms waiting for the VEN to send ${what}; it sent: ${this.received.map((r) => r.message.type).join(', ') || 'nothing'}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private answer(m: OadrMessage): OadrMessage {
    const ok = (requestId = '') => ({ responseCode: 200, responseDescription: 'OK', requestId });
    switch (m.type) {
      case 'oadrQueryRegistration':
      case 'oadrCreatePartyRegistration': {
        const registered = m.type === 'oadrCreatePartyRegistration';
        return {
          type: 'oadrCreatedPartyRegistration', response: ok(m.requestId), vtnId: 'ConformanceHarness-VTN', profiles: [{ profileName: '2.0b', transports: ['simpleHttp'] }],
          requestedPollFrequency: durationFromMs(1_000), ...(registered ? { registrationId: `reg-${this.venId}`, venId: this.venId } : {}),
        };
      }
      case 'oadrRegisterReport': return { type: 'oadrRegisteredReport', response: ok(m.requestId), venId: this.venId };
      case 'oadrPoll': return this.queue.shift() ?? { type: 'oadrResponse', response: ok(), venId: this.venId };
      case 'oadrRequestEvent': return this.distribute(m.requestId);
      case 'oadrUpdateReport': return { type: 'oadrUpdatedReport', response: ok(m.requestId), venId: this.venId };
      default: return { type: 'oadrResponse', response: ok(), venId: this.venId };
    }
  }

  distribute(requestId: string = randomUUID()): OadrMessage {
    return { type: 'oadrDistributeEvent', response: { responseCode: 200, requestId }, requestId, vtnId: 'ConformanceHarness-VTN', events: this.events };
  }
}

export interface VenCaseContext extends CaseContext<VenTarget> {
  readonly vtn: ScriptedVtn;
}

/** Starts the scripted VTN and the VEN under test for one case. */
export async function startVenCase(target: VenTarget): Promise<VenCaseContext> {
  const vtn = new ScriptedVtn(target.server);
  const url = await vtn.listen();
  const ven = await target.start(url);
  const ctx: VenCaseContext = {
    target, vtn, exchanges: vtn.exchanges,
    send: () => Promise.reject(new CaseFailure('harness error: VEN cases are driven by the scripted VTN')),
    newVen: () => { throw new CaseFailure('harness error: VEN cases have one VEN'); },
    stop: async () => { await ven.stop(); await vtn.close(); },
  };
  return ctx;
}
