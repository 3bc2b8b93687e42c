import { Agent, request } from 'node:https';
import { request as plainRequest } from 'node:http';
import { clientTlsOptions, OadrError, parsePayload, serializePayload, SERVICE_OF_VTN_PAYLOAD, serializeSignedPayload, type OadrMessage, type ReplayCache, type SigningIdentity, type TlsMaterial } from '../../schemas/index.js';
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import { withRequestId } from '../../src/request-id.js';
import type { VtnService } from '../service/index.js';
import type { OutboxEntry, VenRecord } from '../store/records.js';
import type { VtnStore } from '../store/store.js';
import { LeaseLoop } from './lease-loop.js';
import { pushUrl, type PushTargetPolicy } from './push-target.js';

export interface PushOptions {
  readonly tls?: TlsMaterial;
  readonly signing?: SigningIdentity;
  readonly concurrency: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly timeoutMs: number;
  /** A VEN's answer to a push larger than this is refused (as a request body is). */
  readonly replyLimitBytes: number;
  /** How old a signed reply may be. */
  readonly signatureMaxAgeMs: number;
  readonly targets: PushTargetPolicy;
  /** How often the sender looks for due messages when nobody kicks it. */
  readonly intervalMs: number;
  /** Told of each push attempt (the VTN's metrics). */
  readonly onAttempt?: (transport: string, outcome: 'delivered' | 'failed') => void;
  /** Names this VTN node in push leases (several nodes on one database claim different messages). */
  readonly nodeId?: string;
  /** Delivery to VENs registered with the XMPP transport. */
  readonly xmpp?: { deliver(jid: string, payload: string): Promise<string> };
}

/**
 * Pushes outbox entries to VENs registered for push. An entry is marked delivered only after the
 * VEN answered 200 with a payload; until then it is retried with exponential backoff, forever
 * (a message the VTN accepted is never dropped; operators see attempts and the last error).
 */
export class PushSender {
  private readonly loop: LeaseLoop<OutboxEntry>;
  private readonly agent: Agent;

  constructor(
    private readonly service: VtnService,
    private readonly store: VtnStore,
    private readonly clock: Clock,
    private readonly options: PushOptions,
    private readonly logger: Logger,
  ) {
    const pair = options.tls?.pairs[0];
    this.agent = new Agent({
      keepAlive: true, maxSockets: options.concurrency,
      ...(options.tls && pair ? clientTlsOptions({ key: pair.key, cert: pair.cert, ca: options.tls.ca, allowTls13: options.tls.allowTls13 ?? false }) : {}),
    });
    // Each entry's lease starts when it is claimed and covers its own delivery (one timeout) with room to spare.
    this.loop = new LeaseLoop<OutboxEntry>({
      name: 'push', concurrency: options.concurrency, intervalMs: options.intervalMs, logger,
      claim: (count) => { const now = this.clock.now(); return this.store.transaction((tx) => tx.claimPushEntries(now, count, now + 2 * options.timeoutMs + 10_000, options.nodeId ?? 'local')); },
      deliver: (entry) => withRequestId(`push-${entry.id}-${entry.attempts}`, () => this.deliver(entry)),
    });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.agent.destroy();
  }

  /** Look for due messages now (called after anything is enqueued). */
  kick(): void {
    this.loop.kick();
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const ven = await this.store.read.getVen(entry.venId);
    if (!ven?.transportAddress) return;
    const message = await this.store.transaction((tx) => this.service.materialize(tx, entry.venId, entry.body));
    if (!message) return;
    const service = SERVICE_OF_VTN_PAYLOAD[message.type];
    if (!service) {
      this.logger.error('no push service for message', { type: message.type });
      return;
    }
    try {
      const xml = ven.xmlSignature && this.options.signing ? serializeSignedPayload(message, this.options.signing, { now: { epochMs: this.clock.now(), microsOfMs: 0 } }) : serializePayload(message);
      // An XMPP VEN's transportAddress is its full JID; an HTTP VEN's is its base URL.
      const answer = ven.transportName === 'xmpp'
        ? await this.deliverXmpp(ven.transportAddress, xml)
        : await this.post(pushUrl(ven.transportAddress, service, this.options.targets), xml, entry.id);
      this.options.onAttempt?.(ven.transportName, 'delivered');
      await this.store.transaction(async (tx) => {
        await tx.markDelivered(entry.id, this.clock.now());
        // Only markers queued before this distribute was built: an event changed while it was in flight needs another push.
        if (entry.body.kind === 'distributeEvent') await tx.markDistributesDelivered(entry.venId, this.clock.now(), entry.id);
      });
      // The push arrived; what the VEN answered is judged on its own (a bad answer is not a reason to push again).
      const seen: { nonce: string; timestampMs: number }[] = [];
      let reply: OadrMessage;
      try {
        reply = answer.length === 0 ? { type: 'oadrResponse', response: { responseCode: 200, requestId: '' } } : this.parseReply(ven, answer, seen);
      } catch (error) {
        if (!(error instanceof OadrError)) throw error;
        this.logger.warn('push reply refused', { venId: ven.venId, outboxId: entry.id, kind: error.kind, reason: error.message });
        return;
      }
      await this.handleReply(ven, reply, seen[0]);
    } catch (error) {
      const delay = Math.min(this.options.maxBackoffMs, this.options.minBackoffMs * 2 ** Math.min(entry.attempts, 20));
      const jittered = Math.round(delay * (0.75 + Math.random() * 0.5));
      const reason = error instanceof Error ? error.message : String(error);
      this.options.onAttempt?.(ven.transportName, 'failed');
      await this.store.transaction((tx) => tx.reschedule(entry.id, this.clock.now() + jittered, reason));
      this.logger.warn('push failed; will retry', { venId: entry.venId, outboxId: entry.id, attempts: entry.attempts + 1, retryInMs: jittered, reason });
    }
  }

  /** A push VEN may answer with a payload of its own (e.g. oadrCreatedEvent): it is handled like a request. */
  /** A reply is held to the same rules as a request: size, schema, and the VEN's own signature when it announced signing. */
  private parseReply(ven: VenRecord, answer: Buffer, seen: { nonce: string; timestampMs: number }[]): OadrMessage {
    const collect: ReplayCache = { remember: (nonce, timestampMs) => { seen.push({ nonce, timestampMs }); return true; } };
    const certificateSha256 = ven.certificateSha256;
    return parsePayload(answer, {
      limits: { maxBytes: this.options.replyLimitBytes },
      signature: {
        now: { epochMs: this.clock.now(), microsOfMs: 0 }, replayCache: collect, required: ven.xmlSignature, maxAgeMs: this.options.signatureMaxAgeMs,
        ...(certificateSha256 ? { trustCertificate: (c) => c.fingerprint256.replace(/:/g, '').toLowerCase() === certificateSha256 } : {}),
      },
    }).message;
  }

  private async handleReply(ven: VenRecord, reply: OadrMessage, signature: { nonce: string; timestampMs: number } | undefined): Promise<void> {
    if (reply.type === 'oadrResponse') {
      if (reply.response.responseCode >= 400) this.logger.warn('push refused by VEN', { venId: ven.venId, responseCode: reply.response.responseCode, reason: reply.response.responseDescription });
      return;
    }
    const service = reply.type === 'oadrCreatedEvent' ? 'EiEvent' : reply.type.includes('Report') ? 'EiReport' : 'EiRegisterParty';
    await this.service.handle(reply, { service, transport: 'push-response', ...(ven.certificateSha256 ? { certificateSha256: ven.certificateSha256 } : {}), ...(signature ? { signature } : {}) });
  }

  private async deliverXmpp(jid: string, xml: string): Promise<Buffer> {
    if (!this.options.xmpp) throw new Error('this VTN has no XMPP endpoint configured');
    return Buffer.from(await this.options.xmpp.deliver(jid, xml));
  }

  /**
   * `x-flexbridge-delivery` names the outbox entry: the same value twice is a redelivery (a VTN node
   * died between the VEN's answer and its commit), which a VEN may drop.
   */
  private post(target: URL, xml: string, deliveryId: number): Promise<Buffer> {
    const limit = this.options.replyLimitBytes;
    return new Promise((resolve, reject) => {
      const send = target.protocol === 'https:' ? request : plainRequest;
      const req = send(target, {
        method: 'POST', timeout: this.options.timeoutMs,
        headers: { 'content-type': 'application/xml; charset=utf-8', 'content-length': Buffer.byteLength(xml), 'x-flexbridge-delivery': String(deliveryId) },
        ...(target.protocol === 'https:' ? { agent: this.agent } : {}),
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        if (Number(res.headers['content-length'] ?? 0) > limit) {
          req.destroy(new Error(`VEN's reply exceeds ${limit} bytes`));
          return;
        }
        res.on('data', (c: Buffer) => {
          size += c.length;
          // Bounded like a request body: a VEN cannot make the VTN buffer an endless reply.
          if (size > limit) req.destroy(new Error(`VEN's reply exceeds ${limit} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`VEN answered HTTP ${res.statusCode}`))));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(xml);
    });
  }
}

