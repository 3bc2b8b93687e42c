import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import type { WebhookEntry } from '../store/records.js';
import type { VtnStore } from '../store/store.js';
import { LeaseLoop } from '../transport/lease-loop.js';

export interface WebhookOptions {
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /** How often the sender looks for due deliveries when nobody wakes it. */
  readonly intervalMs: number;
  /** Names this node in leases (several nodes on one database claim different deliveries). */
  readonly nodeId?: string;
  /** Told of each attempt (metrics). */
  readonly onAttempt?: (outcome: 'delivered' | 'failed') => void;
  /** Publishes a queued MQTT notification (URL `mqtt:<topic>`); resolves when the broker acknowledged it. */
  readonly publish?: (topic: string, body: string) => Promise<void>;
}

/**
 * POSTs queued OpenADR 3 notifications to their callback URLs. A delivery is done when the
 * receiver answers 2xx; until then it is retried with exponential backoff, never dropped, one at a
 * time per URL so that a receiver sees its notifications in order.
 */
export class WebhookSender {
  private readonly loop: LeaseLoop<WebhookEntry>;
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 16 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 16 });

  constructor(private readonly store: VtnStore, private readonly clock: Clock, private readonly options: WebhookOptions, private readonly logger: Logger) {
    const holder = options.nodeId ?? `webhooks-${randomUUID()}`;
    this.loop = new LeaseLoop<WebhookEntry>({
      name: 'webhook', concurrency: options.concurrency, intervalMs: options.intervalMs, logger,
      claim: (count) => { const now = this.clock.now(); return this.store.transaction((tx) => tx.claimWebhooks(now, count, now + 2 * options.timeoutMs + 10_000, holder)); },
      deliver: (entry) => this.deliver(entry),
    });
    store.onCommitted((changes) => { if (changes.enqueued) this.kick(); });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.http.destroy();
    this.https.destroy();
  }

  kick(): void {
    this.loop.kick();
  }

  private async deliver(entry: WebhookEntry): Promise<void> {
    let failure: string | undefined;
    try {
      if (entry.url.startsWith('mqtt:')) {
        if (!this.options.publish) throw new Error('no MQTT broker is configured');
        await this.options.publish(entry.url.slice('mqtt:'.length), entry.body);
      } else {
        const status = await this.post(entry);
        if (status < 200 || status >= 300) failure = `HTTP ${status}`;
      }
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    this.options.onAttempt?.(failure ? 'failed' : 'delivered');
    try {
      await this.store.transaction(async (tx) => {
        if (!failure) return tx.markWebhookDelivered(entry.id, this.clock.now());
        const backoff = Math.min(this.options.maxBackoffMs, this.options.minBackoffMs * 2 ** Math.min(entry.attempts, 20));
        // Jitter: receivers coming back from an outage are not hit by every VTN at the same instant.
        return tx.rescheduleWebhook(entry.id, this.clock.now() + Math.round(backoff * (0.75 + Math.random() * 0.5)), failure);
      });
    } catch (error) {
      // The lease runs out and the delivery is claimed again: sent twice at worst, never lost.
      this.logger.warn('webhook outcome not recorded', { id: entry.id, reason: error instanceof Error ? error.message : String(error) });
    }
    if (failure) this.logger.info('webhook delivery failed, retrying later', { id: entry.id, url: redact(entry.url), attempts: entry.attempts + 1, reason: failure });
  }

  /** One POST; resolves with the status once the answer is read (its body is discarded, bounded). */
  private post(entry: WebhookEntry): Promise<number> {
    const url = new URL(entry.url);
    const secure = url.protocol === 'https:';
    const body = Buffer.from(entry.body);
    return new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: 'POST', agent: secure ? this.https : this.http, timeout: this.options.timeoutMs,
        headers: {
          'content-type': 'application/json', 'content-length': body.length,
          // A receiver can drop a repeat (a lease that ran out) by this ID.
          'x-flexbridge-delivery': String(entry.id),
          ...(entry.bearerToken ? { authorization: `Bearer ${entry.bearerToken}` } : {}),
        },
      }, (res) => {
        let seen = 0;
        res.on('data', (chunk: Buffer) => { seen += chunk.length; if (seen > 64 * 1024) res.destroy(); });
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
        res.on('close', () => resolve(res.statusCode ?? 0));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** A URL for logs: scheme, host and path, no query (it may carry a secret). */
function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
