import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { OadrError, parsePayload, peerCertificateSha256, ResponseCode, serializePayload, serverTlsOptions, SERVICE_NAMES, serviceOfPath, serializeSignedPayload, type OadrMessage, type ReplayCache, type ServiceName, type SigningIdentity, type TlsMaterial } from '../../schemas/index.js';
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import { errorResponse, venIdFromCertificate, type VtnService } from '../service/index.js';
import type { VenRecord } from '../store/records.js';
import type { VtnStore } from '../store/store.js';
import { BodyTooLargeError } from '../../src/errors.js';
import { readBody } from '../../src/read-body.js';
import { requestIdFrom, withRequestId } from '../../src/request-id.js';

export interface OadrHttpOptions {
  readonly host: string;
  readonly port: number;
  /** Mutual TLS material; undefined serves plain HTTP (development only, venIDs are then taken on trust). */
  readonly tls?: TlsMaterial;
  readonly bodyLimitBytes: number;
  /** A request must arrive whole (headers and body) within this (default 30 s); idle keep-alive sockets close after 4×. */
  readonly requestTimeoutMs?: number;
  readonly requireSignatures: boolean;
  readonly signatureMaxAgeMs: number;
  /** The VTN signs its answers to VENs that asked for XML signatures. */
  readonly signing?: SigningIdentity;
}


/** The 2.0b simple HTTP binding: POST {prefix}/{Service}, XML in, XML out, errors inside eiResponse. */
export class OadrHttpServer {
  readonly server: Server;

  constructor(
    private readonly service: VtnService,
    private readonly store: VtnStore,
    private readonly clock: Clock,
    private readonly options: OadrHttpOptions,
    private readonly logger: Logger,
  ) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      // One ID per request, the caller's X-Request-ID when sane: in every log line and feed entry it causes.
      const requestId = requestIdFrom(req.headers['x-request-id']);
      res.setHeader('x-request-id', requestId);
      withRequestId(requestId, () => this.handle(req, res)).catch((error: unknown) => {
        this.logger.error('unhandled transport error', { error });
        if (!res.headersSent) res.writeHead(500).end();
      });
    };
    const requestTimeout = options.requestTimeoutMs ?? 30_000;
    // Slow-body and idle connections are cut off (Node's defaults let one hold a socket 300 s),
    // checked often enough that the limit is what a client sees.
    const limits = { requestTimeout, headersTimeout: Math.min(15_000, requestTimeout), connectionsCheckingInterval: Math.max(250, Math.min(5_000, requestTimeout / 4)) };
    this.server = options.tls ? createHttpsServer({ ...serverTlsOptions(options.tls), ...limits }, handler) : createHttpServer(limits, handler);
    this.server.keepAliveTimeout = 65_000;
    this.server.setTimeout(Math.max(4 * requestTimeout, 65_000));
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve(this.server.address() as AddressInfo));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const serviceName = serviceOfPath(path);
    if (!(SERVICE_NAMES as readonly string[]).includes(serviceName)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no OpenADR 2.0b service at ${path}\n`);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('OpenADR 2.0b services accept POST only\n');
      return;
    }
    const service = serviceName as ServiceName;
    let body: Buffer;
    try {
      body = await readBody(req, this.options.bodyLimitBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        this.reply(res, errorResponse(ResponseCode.invalidData, error.message, ''), undefined);
        return;
      }
      throw error;
    }
    const certificateSha256 = this.options.tls ? peerCertificateSha256(req.socket as TLSSocket) : undefined;
    let ven: VenRecord | undefined;
    try {
      ven = certificateSha256 ? await this.store.read.getVen(venIdFromCertificate(certificateSha256)) : undefined;
    } catch (error) {
      // The store is unreachable (a database restart): a 2.0b error the VEN can act on, nothing taken in.
      this.logger.error('store unavailable', { service, error });
      this.reply(res, errorResponse(ResponseCode.deploymentErrorOther, 'the VTN cannot reach its store; nothing was stored, try again', ''), undefined);
      return;
    }
    const required = this.options.requireSignatures || Boolean(ven?.xmlSignature && ven.state === 'registered');
    const seen: { nonce: string; timestampMs: number }[] = [];
    // Crypto and freshness are checked here; the nonce is remembered durably inside the request's transaction.
    const collect: ReplayCache = { remember: (nonce, timestampMs) => { seen.push({ nonce, timestampMs }); return true; } };
    let message: OadrMessage;
    try {
      ({ message } = parsePayload(body, {
        limits: { maxBytes: this.options.bodyLimitBytes },
        signature: {
          now: { epochMs: this.clock.now(), microsOfMs: 0 }, replayCache: collect, required, maxAgeMs: this.options.signatureMaxAgeMs,
          // A signature must come from the same certificate as the TLS session.
          ...(certificateSha256 ? { trustCertificate: (c) => c.fingerprint256.replace(/:/g, '').toLowerCase() === certificateSha256 } : {}),
        },
      }));
    } catch (error) {
      if (!(error instanceof OadrError)) throw error;
      this.logger.info('payload refused', { service, kind: error.kind, responseCode: error.responseCode, reason: error.message });
      this.reply(res, errorResponse(error.responseCode, error.message, ''), undefined);
      return;
    }
    const signature = seen[0];
    const answer = await this.service.handle(message, { service, transport: 'http', ...(certificateSha256 ? { certificateSha256 } : {}), ...(signature ? { signature } : {}), ...(ven ? { venAsRead: ven } : {}) });
    this.reply(res, answer, ven?.xmlSignature ? this.options.signing : undefined);
  }

  private reply(res: ServerResponse, message: OadrMessage, signing: SigningIdentity | undefined): void {
    // Signed from the writer's canonical form: the answer is not parsed back to be signed.
    const xml = signing ? serializeSignedPayload(message, signing, { now: { epochMs: this.clock.now(), microsOfMs: 0 } }) : serializePayload(message);
    res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8', 'content-length': Buffer.byteLength(xml) }).end(xml);
  }
}
