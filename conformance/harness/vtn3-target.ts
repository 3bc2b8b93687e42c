import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Vtn3Client } from '../../ven/openadr3/vtn3-client.js';
import { CaseFailure, NotApplicable, expectThat, type CaseRun, type Exchange } from './case.js';

/** OAuth2 client credentials the harness acts with. */
export interface Vtn3Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** An OpenADR 3.x VTN under test: its base URL and the clients the harness plays. */
export interface Vtn3Target {
  readonly url: string;
  /** PEM of the CA that signed the VTN's certificate (default: the system's). */
  readonly ca?: string;
  /** A business-logic client (programs, events, VENs, subscriptions). */
  readonly bl: Vtn3Credentials;
  /** A VEN client; without it the VEN-role cases are not applicable. */
  readonly ven?: Vtn3Credentials;
  /** The host the VTN reaches the harness's webhook receiver at (default 127.0.0.1). */
  readonly callbackHost?: string;
  /** How long a callback case waits for its notification (default 10 s). */
  readonly callbackTimeoutMs?: number;
}

/** An answer as the harness judges it: status, parsed JSON (or the text), content type. */
export interface Answer3 {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
  readonly contentType: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One client of the VTN under test, every request kept as an exchange. */
export class Vtn3Actor {
  constructor(private readonly client: Vtn3Client, private readonly exchanges: Exchange[], readonly clientId: string) {}

  async request(method: Method, path: string, options: { body?: unknown; rawBody?: string; auth?: 'token' | 'none' | string; query?: Record<string, string | readonly string[]> } = {}): Promise<Answer3> {
    const q = new URLSearchParams();
    for (const [name, value] of Object.entries(options.query ?? {})) for (const v of typeof value === 'string' ? [value] : value) q.append(name, v);
    const target = `${path}${q.size ? `?${q}` : ''}`;
    const answer = await this.client.exchange(method, target, options);
    this.exchanges.push({ service: `${method} ${target}`, sent: options.rawBody ?? (options.body === undefined ? '' : JSON.stringify(options.body)), received: answer.text, status: answer.status });
    let body: unknown = answer.text;
    try { body = answer.text ? JSON.parse(answer.text) : undefined; } catch { /* not JSON: judged as text */ }
    return { status: answer.status, body, text: answer.text, contentType: answer.contentType };
  }

  /** A request that must succeed with `status` (any 2xx when absent); returns its JSON. */
  async ok<T = Record<string, unknown>>(method: Method, path: string, body?: unknown, status?: number, query?: Record<string, string | readonly string[]>): Promise<T> {
    const answer = await this.request(method, path, { ...(body === undefined ? {} : { body }), ...(query ? { query } : {}) });
    const good = status === undefined ? answer.status >= 200 && answer.status < 300 : answer.status === status;
    if (!good) throw new CaseFailure(`${method} ${path} as ${this.clientId}: expected ${status ?? '2xx'}, got ${answer.status} ${answer.text.slice(0, 200)}`);
    return answer.body as T;
  }

  tokenRequest(form: Record<string, string>): Promise<{ status: number; text: string; contentType: string }> {
    return this.client.tokenExchange(form);
  }
}

/** A notification the VTN posted to the harness. */
export interface Callback {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

/** An HTTP endpoint for subscriptions' callbacks, one per case. */
export class CallbackReceiver {
  private constructor(private readonly server: Server, readonly baseUrl: string, readonly received: readonly Callback[], private readonly timeoutMs: number) {}

  static async start(host: string, timeoutMs = 10_000): Promise<CallbackReceiver> {
    const received: Callback[] = [];
    const server = createServer((req, res) => {
      void readJson(req).then((body) => {
        // Bounded: a VTN that floods the harness fails the case, not the machine.
        if (received.length < 1_000 && body) received.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    return new CallbackReceiver(server, `http://${host}:${(server.address() as AddressInfo).port}`, received, timeoutMs);
  }

  /** Waits for a notification that `match` accepts. */
  async waitFor(what: string, match: (c: Callback) => boolean, timeoutMs = this.timeoutMs): Promise<Callback> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new CaseFailure(`no notification ${what} within ${timeoutMs / 1000} s (got ${this.received.length}: ${this.received.map((c) => `${String(c.body.objectType)} ${String(c.body.operation)}`).join(', ') || 'none'})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size <= 1024 * 1024) chunks.push(c); });
    req.on('end', () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>); } catch { resolve(undefined); } });
    req.on('error', () => resolve(undefined));
  });
}

/** What a 3.x case works with: the business logic, the VEN (when configured), fresh names, callbacks. */
export class Vtn3CaseContext implements CaseRun {
  readonly exchanges: Exchange[] = [];
  readonly bl: Vtn3Actor;
  private readonly venActor: Vtn3Actor | undefined;
  private readonly clients: Vtn3Client[] = [];
  private readonly cleanups: (() => Promise<unknown>)[] = [];
  private receiver: CallbackReceiver | undefined;
  /** Unique per case run: objects a case makes never meet another run's. */
  readonly run = randomUUID().slice(0, 8);

  constructor(readonly target: Vtn3Target) {
    this.bl = this.actor(target.bl);
    this.venActor = target.ven ? this.actor(target.ven) : undefined;
  }

  /** A client with any credentials (for refusals: a wrong secret, an unknown client). */
  actor(credentials: Vtn3Credentials): Vtn3Actor {
    const client = new Vtn3Client({ baseUrl: this.target.url, clientId: credentials.clientId, clientSecret: credentials.clientSecret, ...(this.target.ca ? { ca: this.target.ca } : {}) });
    this.clients.push(client);
    return new Vtn3Actor(client, this.exchanges, credentials.clientId);
  }

  get ven(): Vtn3Actor {
    if (!this.venActor) throw new NotApplicable('needs a VEN client (--ven-client-id, --ven-client-secret)');
    return this.venActor;
  }

  name(label: string): string {
    return `conf-${label}-${this.run}`;
  }

  /** Deletes what a case made once it is over (best effort: a VTN may refuse deletes). */
  later(cleanup: () => Promise<unknown>): void {
    this.cleanups.push(cleanup);
  }

  /** A program made for this case, deleted after it. */
  async program(label = 'program'): Promise<Record<string, unknown> & { id: string }> {
    const program = await this.bl.ok<Record<string, unknown> & { id: string }>('POST', 'programs', { programName: this.name(label) }, 201);
    this.later(() => this.bl.request('DELETE', `programs/${program.id}`));
    return program;
  }

  /** An event of a program, deleted after the case. */
  async event(programID: string, extra: Record<string, unknown> = {}, values: readonly number[] = [1]): Promise<Record<string, unknown> & { id: string }> {
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 3_600_000).toISOString();
    const event = await this.bl.ok<Record<string, unknown> & { id: string }>('POST', 'events', {
      programID, eventName: this.name('event'), intervalPeriod: { start, duration: 'PT15M' },
      intervals: values.map((v, id) => ({ id, payloads: [{ type: 'SIMPLE', values: [v] }] })), ...extra,
    }, 201);
    this.later(() => this.bl.request('DELETE', `events/${event.id}`));
    return event;
  }

  /**
   * The VEN client's VEN object, granted `targets`: found among what the VEN client reads, else made
   * by the VEN client, else (a VTN where only business logic enrols VENs) by business logic for it.
   */
  async venObject(targets: readonly string[] = []): Promise<Record<string, unknown> & { id: string; venName: string }> {
    type Ven = Record<string, unknown> & { id: string; venName: string };
    const mine = await this.ven.ok<Ven[]>('GET', 'vens');
    let ven = mine[0];
    if (!ven) {
      const made = await this.ven.request('POST', 'vens', { body: { objectType: 'VEN_VEN_REQUEST', venName: `conf-ven-${this.target.ven!.clientId}` } });
      ven = made.status === 201 ? made.body as Ven : await this.bl.ok<Ven>('POST', 'vens', { objectType: 'BL_VEN_REQUEST', clientID: this.target.ven!.clientId, venName: `conf-ven-${this.target.ven!.clientId}` }, 201);
    }
    if (targets.length) {
      ven = await this.bl.ok<Ven>('PUT', `vens/${ven.id}`, { objectType: 'BL_VEN_REQUEST', clientID: this.target.ven!.clientId, venName: ven.venName, targets: [...targets] });
      expectThat(JSON.stringify((ven.targets as unknown[] | undefined) ?? []).includes(targets[0]!), `the VEN's targets after PUT should include ${targets[0]}, got ${JSON.stringify(ven.targets)}`);
    }
    return ven;
  }

  async callbacks(): Promise<CallbackReceiver> {
    this.receiver ??= await CallbackReceiver.start(this.target.callbackHost ?? '127.0.0.1', this.target.callbackTimeoutMs);
    return this.receiver;
  }

  async stop(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => undefined);
    await this.receiver?.close();
    for (const client of this.clients) client.close();
  }
}

/** The answer has `status` (one of them), else the case fails naming what came. */
export function expectStatus(answer: Answer3, statuses: number | readonly number[], what: string): void {
  const allowed = typeof statuses === 'number' ? [statuses] : statuses;
  if (!allowed.includes(answer.status)) throw new CaseFailure(`${what}: expected ${allowed.join(' or ')}, got ${answer.status} ${answer.text.slice(0, 200)}`);
}

/**
 * A refusal as the specification writes it: one of `statuses`, with a problem object (RFC 9457 /
 * the specification's Problem: `title` or `detail`, and `status` when given equal to the HTTP status).
 */
export function expectProblem(answer: Answer3, statuses: number | readonly number[], what: string): void {
  expectStatus(answer, statuses, what);
  const body = answer.body as Record<string, unknown> | undefined;
  expectThat(typeof body === 'object' && body !== null && !Array.isArray(body), `${what}: the ${answer.status} should carry a problem object, got ${JSON.stringify(answer.text.slice(0, 200))}`);
  expectThat(typeof body.title === 'string' || typeof body.detail === 'string', `${what}: the problem object should have a title or a detail, got ${answer.text.slice(0, 200)}`);
  expectThat(body.status === undefined || body.status === answer.status, `${what}: the problem's status ${String(body.status)} differs from the HTTP status ${answer.status}`);
}
