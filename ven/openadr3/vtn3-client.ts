import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { VtnUnavailableError } from '../../src/errors.js';
import { Vtn3RefusedError } from '../errors.js';

export interface Vtn3ClientOptions {
  /** The VTN's 3.1 base URL (its paths at the root). */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** PEM of the CA that signed the VTN's certificate (default: the system's). */
  readonly ca?: string;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

const ANSWER_LIMIT = 8 * 1024 * 1024;

/**
 * JSON over HTTP(S) to an OpenADR 3.1 VTN with OAuth2 client credentials: the token URL is
 * discovered through GET auth/server, tokens are renewed before they expire and once on a 401.
 * A VTN that does not answer is a VtnUnavailableError (try later); a refusal is a Vtn3RefusedError.
 */
export class Vtn3Client {
  private token: { value: string; expiresAt: number } | undefined;
  private tokenUrl: string | undefined;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly base: URL;

  constructor(private readonly options: Vtn3ClientOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.agent = this.base.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 4, ...(options.ca ? { ca: options.ca } : {}) }) : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  }

  close(): void {
    this.agent.destroy();
  }

  /** A search; an array value repeats its parameter (targets=a&targets=b, as the specification's form style says). */
  async get<T>(path: string, query: Record<string, string | readonly string[] | undefined> = {}): Promise<T> {
    const q = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) for (const v of value === undefined ? [] : typeof value === 'string' ? [value] : value) q.append(name, v);
    return this.call<T>('GET', `${path}${q.size ? `?${q}` : ''}`);
  }

  /** Every page of a search (limit 50 each), until a short one. */
  async all<T>(path: string, query: Record<string, string | readonly string[] | undefined> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let skip = 0; ; skip += 50) {
      const page = await this.get<T[]>(path, { ...query, skip: String(skip), limit: '50' });
      out.push(...page);
      if (page.length < 50 || skip > 1_000_000) return out;
    }
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  /**
   * One request whose answer is returned whatever its status (a conformance harness judges it):
   * `auth` 'token' sends this client's bearer token, 'none' no Authorization, a string that header as given.
   */
  async exchange(method: string, path: string, options: { readonly body?: unknown; readonly rawBody?: string; readonly auth?: 'token' | 'none' | string; readonly contentType?: string } = {}): Promise<{ status: number; text: string; contentType: string }> {
    const auth = options.auth ?? 'token';
    const authorization = auth === 'none' ? undefined : auth === 'token' ? `Bearer ${await this.bearer()}` : auth;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = { ...(authorization ? { authorization } : {}), ...(body === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' }) };
    return this.send(method, new URL(path.replace(/^\//, ''), this.base), headers, body);
  }

  /** A valid access token (renewed when due): MQTT brokers that take the bearer token as password need it. */
  accessToken(): Promise<string> {
    return this.bearer();
  }

  /** The token endpoint asked with a form as given (for checking how it refuses). */
  async tokenExchange(form: Record<string, string>): Promise<{ status: number; text: string; contentType: string }> {
    await this.bearer();
    return this.send('POST', new URL(this.tokenUrl!), { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(form).toString());
  }

  private async call<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
    const token = await this.bearer();
    const { status, text } = await this.send(method, new URL(path.replace(/^\//, ''), this.base), { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body === undefined ? undefined : JSON.stringify(body));
    if (status === 401 && !retried) {
      this.token = undefined;
      return this.call<T>(method, path, body, true);
    }
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : undefined) as T;
    if (status >= 500) throw new VtnUnavailableError(`${method} ${path}: HTTP ${status}`);
    let detail = text.slice(0, 300);
    try {
      const problem = JSON.parse(text) as { detail?: string; title?: string };
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      // not a problem document: keep the text
    }
    throw new Vtn3RefusedError(status, `${method} ${path}: ${status} ${detail}`);
  }

  private async bearer(): Promise<string> {
    const now = this.options.now?.() ?? Date.now();
    if (this.token && this.token.expiresAt > now) return this.token.value;
    if (!this.tokenUrl) {
      const info = await this.send('GET', new URL('auth/server', this.base), {}, undefined);
      this.tokenUrl = info.status === 200 ? (JSON.parse(info.text) as { tokenURL: string }).tokenURL : new URL('auth/token', this.base).toString();
    }
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.options.clientId, client_secret: this.options.clientSecret }).toString();
    const answer = await this.send('POST', new URL(this.tokenUrl), { 'content-type': 'application/x-www-form-urlencoded' }, form);
    if (answer.status !== 200) throw answer.status >= 500 ? new VtnUnavailableError(`token: HTTP ${answer.status}`) : new Vtn3RefusedError(answer.status, `token refused: ${answer.text.slice(0, 300)}`);
    const token = JSON.parse(answer.text) as { access_token: string; expires_in?: number };
    // Renewed a minute early (or at half-life for short tokens): a request never carries an expired one.
    const life = (token.expires_in ?? 3600) * 1000;
    this.token = { value: token.access_token, expiresAt: now + Math.max(life / 2, life - 60_000) };
    return token.access_token;
  }

  private send(method: string, url: URL, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; text: string; contentType: string }> {
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method, agent: this.agent, timeout: this.options.timeoutMs ?? 15_000,
        headers: { accept: 'application/json', ...headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) },
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > ANSWER_LIMIT) { res.destroy(new VtnUnavailableError(`${method} ${url.pathname}: answer larger than ${ANSWER_LIMIT} bytes`)); return; }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') }));
        res.on('error', (error) => reject(error instanceof VtnUnavailableError ? error : new VtnUnavailableError(`${method} ${url.pathname}: ${error.message}`)));
      });
      req.on('timeout', () => req.destroy(new Error('no answer in time')));
      req.on('error', (error) => reject(new VtnUnavailableError(`${method} ${url.pathname}: ${error.message}`)));
      req.end(body);
    });
  }
}
