import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { durationFromMs, OadrError, parsePayload, ResponseCode, serializePayload, serverTlsOptions, SERVICE_OF_VTN_PAYLOAD, type EiTarget, type OadrEvent, type OadrMessage, type OptType, type ServiceName } from '../../schemas/index.js';
import { CaseFailure, NotApplicable, type CaseContext, type ConformanceCase, type Exchange } from './case.js';
import type { Delivery } from './harness-ven.js';
import { postXml } from './post-xml.js';

/** What the harness can make the VEN under test do on its own (the certification spec's operator prompts). */
export interface VenControl {
  queryRegistration(): Promise<void>;
  cancelRegistration(): Promise<void>;
  /** Registers again: under its registration (re-registration) or, with `fresh`, as a new one. */
  register(fresh: boolean): Promise<void>;
  createOpt(opt: { optType: OptType; optId?: string; eventId?: string; availability?: readonly { dtstart: number; durationMs: number }[]; resourceIds?: readonly string[]; marketContext?: string; deviceClass?: EiTarget }): Promise<string>;
  cancelOpt(optId: string): Promise<void>;
}

export interface RunningVen {
  stop(): Promise<void>;
  readonly control?: VenControl;
}

/** A VEN under test: the harness plays its VTN. */
export interface VenTarget {
  /** The harness VTN's certificate and key (PEM), and the CA the VEN's certificate chains to. */
  readonly server: { readonly key: string; readonly cert: string; readonly ca: string };
  /** Starts the VEN pointed at `vtnUrl` (…/OpenADR2/Simple/2.0b), registration included; `venId` is pre-allocated when given. */
  start(vtnUrl: string, options: { delivery: Delivery; venId?: string }): Promise<RunningVen>;
  /** Whether the VEN can run as a push VEN (it listens; the VTN posts to it). */
  readonly push?: boolean;
  /** Whether a venID can be pre-allocated to the VEN (its configuration names it). */
  readonly preallocatedVenId?: boolean;
}

/** One payload the VEN sent, as the scripted VTN saw it (requests, and its answers to pushes). */
export interface Received {
  readonly service: ServiceName | 'push-answer';
  readonly message: OadrMessage;
  readonly at: number;
}

/**
 * A scripted VTN on HTTPS (2.0b suites, mutual TLS): it answers registration, report metadata,
 * polls, event requests and opts by default, delivers what a case gives it (queued for the next
 * poll, or posted to a push VEN's transport address), and records everything the VEN sends. A
 * payload that is not schema-valid fails the case.
 */
export class ScriptedVtn {
  readonly received: Received[] = [];
  readonly exchanges: Exchange[] = [];
  /** TLS as each of the VEN's connections negotiated it. */
  readonly tls: { protocol: string; cipher: string }[] = [];
  events: OadrEvent[] = [];
  readonly queue: OadrMessage[] = [];
  readonly vtnId = 'ConformanceHarness-VTN';
  venId = `ven-under-test-${randomUUID().slice(0, 8)}`;
  registrationId: string | undefined;
  /** A push VEN's oadrTransportAddress, from its registration. */
  transportAddress: string | undefined;
  /** A schema or protocol problem found while serving; reported by the case. */
  problem: string | undefined;
  /** Lets a case answer one payload its own way (return undefined for the default). */
  override: ((message: OadrMessage, service: ServiceName) => OadrMessage | string | undefined) | undefined;
  private server: Server | undefined;

  constructor(private readonly keys: VenTarget['server'], readonly delivery: Delivery = 'pull') {}

  async listen(): Promise<string> {
    this.server = createServer(serverTlsOptions({ pairs: [{ key: this.keys.key, cert: this.keys.cert }], ca: this.keys.ca }), (req, res) => {
      const socket = req.socket as TLSSocket;
      this.tls.push({ protocol: socket.getProtocol() ?? '', cipher: socket.getCipher().name });
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
          answer = serializePayload({ type: 'oadrResponse', response: { responseCode: ResponseCode.invalidData, responseDescription: 'invalid payload', requestId: '' } });
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

  /**
   * Hands a payload to the VEN: queued for its next poll (pull), or posted to its transport
   * address (push), the VEN's answer then recorded as a 'push-answer'. Returns that answer (push).
   */
  async deliver(message: OadrMessage): Promise<OadrMessage | undefined> {
    if (this.delivery === 'pull') {
      this.queue.push(message);
      return undefined;
    }
    if (!this.transportAddress) throw new CaseFailure('the push VEN registered no oadrTransportAddress');
    const service = SERVICE_OF_VTN_PAYLOAD[message.type] ?? 'EiEvent';
    const xml = serializePayload(message);
    const { status, body } = await this.post(`${this.transportAddress.replace(/\/$/, '')}/OpenADR2/Simple/2.0b/${service}`, xml);
    this.exchanges.push({ service, sent: xml, received: body, status });
    if (status !== 200) throw new CaseFailure(`the VEN answered the push of ${message.type} with HTTP ${status}`);
    let reply: OadrMessage;
    try {
      reply = parsePayload(body).message;
    } catch (error) {
      throw new CaseFailure(`the VEN answered the push of ${message.type} with a payload that is not schema-valid: ${error instanceof OadrError ? error.message : String(error)}`);
    }
    this.received.push({ service: 'push-answer', message: reply, at: Date.now() });
    return reply;
  }

  /** Posts raw XML to the push VEN (negative cases); resolves with the HTTP outcome, or the connection error. */
  async postRaw(service: ServiceName, xml: string): Promise<{ status: number; body: string } | { error: string }> {
    try {
      return await this.post(`${this.transportAddress!.replace(/\/$/, '')}/OpenADR2/Simple/2.0b/${service}`, xml);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  private post(url: string, xml: string): Promise<{ status: number; body: string }> {
    return postXml(url, xml, this.keys, 15_000);
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

  /** Waits until the VEN is registered and (pull) polling, so that what the case delivers reaches it. */
  async ready(): Promise<void> {
    // A VEN process just started (a Python peer imports for seconds on a loaded machine): its first message may take a while.
    await this.waitFor('oadrCreatePartyRegistration', (m): m is OadrMessage => m.type === 'oadrCreatePartyRegistration', 45_000);
    if (this.delivery === 'pull') await this.waitFor('a poll', (m): m is OadrMessage => m.type === 'oadrPoll');
    else await this.waitFor('oadrRequestEvent (its first sync)', (m): m is OadrMessage => m.type === 'oadrRequestEvent');
  }

  private answer(m: OadrMessage): OadrMessage {
    const ok = (requestId = '') => ({ responseCode: 200, responseDescription: 'OK', requestId });
    const profile = [{ profileName: '2.0b' as const, transports: ['simpleHttp' as const] }];
    switch (m.type) {
      case 'oadrQueryRegistration':
        return { type: 'oadrCreatedPartyRegistration', response: ok(m.requestId), vtnId: this.vtnId, profiles: profile, requestedPollFrequency: durationFromMs(1_000), ...(this.registrationId ? { registrationId: this.registrationId, venId: this.venId } : {}) };
      case 'oadrCreatePartyRegistration': {
        if (m.venId) this.venId = m.venId;
        this.registrationId = m.registrationId ?? `reg-${randomUUID().slice(0, 8)}`;
        if (m.httpPullModel === false) this.transportAddress = m.transportAddress;
        return { type: 'oadrCreatedPartyRegistration', response: ok(m.requestId), vtnId: this.vtnId, profiles: profile, requestedPollFrequency: durationFromMs(1_000), registrationId: this.registrationId, venId: this.venId };
      }
      case 'oadrCancelPartyRegistration':
        this.registrationId = undefined;
        return { type: 'oadrCanceledPartyRegistration', response: ok(m.requestId), registrationId: m.registrationId, venId: this.venId };
      case 'oadrRegisterReport': return { type: 'oadrRegisteredReport', response: ok(m.requestId), venId: this.venId };
      case 'oadrPoll': return this.queue.shift() ?? { type: 'oadrResponse', response: ok(), venId: this.venId };
      case 'oadrRequestEvent': return this.distribute(m.requestId);
      case 'oadrUpdateReport': return { type: 'oadrUpdatedReport', response: ok(m.requestId), venId: this.venId };
      case 'oadrCreateOpt': return { type: 'oadrCreatedOpt', response: ok(m.requestId), optId: m.optId };
      case 'oadrCancelOpt': return { type: 'oadrCanceledOpt', response: ok(m.requestId), optId: m.optId };
      case 'oadrCreateReport': return { type: 'oadrCreatedReport', response: ok(m.requestId), pendingReports: [], venId: this.venId };
      case 'oadrCancelReport': return { type: 'oadrCanceledReport', response: ok(m.requestId), pendingReports: [], venId: this.venId };
      default: return { type: 'oadrResponse', response: ok(), venId: this.venId };
    }
  }

  distribute(requestId: string = randomUUID(), vtnId = this.vtnId): OadrMessage & { type: 'oadrDistributeEvent' } {
    return { type: 'oadrDistributeEvent', response: { responseCode: 200, requestId }, requestId, vtnId, events: this.events };
  }
}

export interface VenCaseContext extends CaseContext<VenTarget> {
  readonly vtn: ScriptedVtn;
  readonly delivery: Delivery;
  /** Present when the VEN under test can be made to act (VEN-initiated cases need it). */
  readonly control: VenControl | undefined;
}

/** Starts the scripted VTN and the VEN under test for one case (push, or with a pre-allocated venID, as the case asks). */
export async function startVenCase(target: VenTarget, c: Pick<ConformanceCase<VenTarget>, 'id'> & { delivery?: Delivery; preallocate?: boolean }): Promise<VenCaseContext> {
  const delivery = c.delivery ?? 'pull';
  if (delivery === 'push' && !target.push) throw new NotApplicable('the VEN under test is not run as a push VEN here (give the harness a push command)');
  if (c.preallocate && !target.preallocatedVenId) throw new NotApplicable('no venID can be pre-allocated to the VEN under test here');
  const vtn = new ScriptedVtn(target.server, delivery);
  (c as { beforeStart?: (vtn: ScriptedVtn) => void }).beforeStart?.(vtn);
  const url = await vtn.listen();
  const venId = c.preallocate ? `preallocated-${randomUUID().slice(0, 8)}` : undefined;
  let ven: RunningVen;
  try {
    ven = await target.start(url, { delivery, ...(venId ? { venId } : {}) });
  } catch (error) {
    await vtn.close();
    throw error;
  }
  return {
    target, vtn, delivery, control: ven.control, exchanges: vtn.exchanges,
    send: () => Promise.reject(new CaseFailure('harness error: VEN cases are driven by the scripted VTN')),
    newVen: () => { throw new CaseFailure('harness error: VEN cases have one VEN'); },
    stop: async () => { await ven.stop(); await vtn.close(); },
  };
}
