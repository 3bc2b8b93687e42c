import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OadrError, parsePayload, ResponseCode, serializePayload, serverTlsOptions, SERVICE_NAMES, serviceOfPath, type OadrMessage } from '../../schemas/index.js';
import type { Logger } from '../../src/logger.js';
import { BodyTooLargeError } from '../../src/errors.js';
import { readBody } from '../../src/read-body.js';


/** The VEN's HTTPS endpoint for a VTN that pushes (2.0b push model), mutual TLS like the VTN's. */
export class PushListener {
  readonly server: Server;

  constructor(
    private readonly onPushed: (message: OadrMessage) => Promise<OadrMessage>,
    private readonly options: { host: string; port: number; tls?: { key: string; cert: string; ca: string }; bodyLimitBytes?: number },
    private readonly logger: Logger,
  ) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => { void this.handle(req, res); };
    this.server = options.tls ? createHttpsServer(serverTlsOptions({ pairs: [{ key: options.tls.key, cert: options.tls.cert }], ca: options.tls.ca }), handler) : createHttpServer(handler);
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve(this.server.address() as AddressInfo));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => { this.server.close(() => resolve()); this.server.closeAllConnections(); });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const service = serviceOfPath(req.url ?? '');
    if (req.method !== 'POST' || !(SERVICE_NAMES as readonly string[]).includes(service)) {
      res.writeHead(404).end();
      return;
    }
    let reply: OadrMessage;
    try {
      const body = await readBody(req, this.options.bodyLimitBytes ?? 4 * 1024 * 1024);
      reply = await this.onPushed(parsePayload(body).message);
    } catch (error) {
      const code = error instanceof OadrError ? error.responseCode : error instanceof BodyTooLargeError ? ResponseCode.invalidData : ResponseCode.deploymentErrorOther;
      this.logger.warn('pushed payload refused', { reason: (error as Error).message });
      reply = { type: 'oadrResponse', response: { responseCode: code, responseDescription: (error as Error).message, requestId: '' } };
    }
    const xml = serializePayload(reply);
    res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8', 'content-length': Buffer.byteLength(xml) }).end(xml);
  }
}
