import { Agent, request } from 'node:https';
import { request as plainRequest } from 'node:http';
import { clientTlsOptions, parsePayload, serializePayload, serializeSignedPayload, type OadrMessage, type ServiceName, type SigningIdentity } from '../../schemas/index.js';
import type { Clock } from '../../src/clock.js';
import { VtnUnavailableError } from '../../src/errors.js';
import type { VtnChannel } from './vtn-channel.js';

export interface VtnClientOptions {
  /** Base URL up to and including /OpenADR2/Simple/2.0b. */
  readonly vtnUrl: string;
  /** Client certificate, key and the CA that signed the VTN's certificate (PEM text). */
  readonly tls?: { readonly key: string; readonly cert: string; readonly ca: string };
  /** Sign every payload (the VEN registered with oadrXmlSignature=true). */
  readonly signing?: SigningIdentity;
  readonly clock: Clock;
  readonly timeoutMs?: number;
  /** Validate the VTN's answers against the XSD (default true; off for peers with known deviations). */
  readonly validate?: boolean;
}

/** The VEN's side of the simple HTTP binding: POST a payload to a service, get the VTN's payload back. */
export class VtnClient implements VtnChannel {
  readonly transportName = 'simpleHttp';
  private readonly agent: Agent | undefined;

  constructor(private readonly options: VtnClientOptions) {
    this.agent = options.tls ? new Agent({ keepAlive: true, maxSockets: 2, ...clientTlsOptions(options.tls) }) : undefined;
  }

  /** Nothing to open: each request is its own HTTP exchange, and the VTN does not push over this channel. */
  async connect(): Promise<undefined> {
    return undefined;
  }

  async send(service: ServiceName, message: OadrMessage): Promise<OadrMessage> {
    const xml = this.options.signing ? serializeSignedPayload(message, this.options.signing, { now: { epochMs: this.options.clock.now(), microsOfMs: 0 } }) : serializePayload(message);
    const body = await this.post(`${this.options.vtnUrl.replace(/\/$/, '')}/${service}`, xml);
    if (body.length === 0) return { type: 'oadrResponse', response: { responseCode: 200, requestId: '' } };
    return parsePayload(body, { validate: this.options.validate ?? true }).message;
  }

  close(): void {
    this.agent?.destroy();
  }

  private post(url: string, xml: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? request : plainRequest;
      const req = send(target, {
        method: 'POST', timeout: this.options.timeoutMs ?? 30_000, ...(this.agent && target.protocol === 'https:' ? { agent: this.agent } : {}),
        headers: { 'content-type': 'application/xml; charset=utf-8', 'content-length': Buffer.byteLength(xml) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new VtnUnavailableError(`VTN answered HTTP ${res.statusCode} at ${url}`))));
        res.on('error', (e) => reject(new VtnUnavailableError(e.message)));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs ?? 30_000} ms`)));
      req.on('error', (e) => reject(new VtnUnavailableError(`VTN unreachable at ${url}: ${e.message}`)));
      req.end(xml);
    });
  }
}
