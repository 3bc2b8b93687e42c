import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { clientTlsOptions } from '../../schemas/index.js';

/** POSTs a 2.0b payload (mutual TLS with the 2.0b suites over https:, plain over http:); resolves with status and body. */
export function postXml(url: string, xml: string, tls: { key: string; cert: string; ca: string }, timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const https = target.protocol === 'https:';
    const req = (https ? httpsRequest : httpRequest)(target, {
      method: 'POST', agent: false, timeout: timeoutMs, headers: { 'content-type': 'application/xml; charset=utf-8' },
      ...(https ? clientTlsOptions(tls) : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(xml);
  });
}
