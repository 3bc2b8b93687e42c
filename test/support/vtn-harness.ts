import { request, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { clientTlsOptions, parsePayload, serializePayload, type OadrMessage, type ServiceName } from '../../schemas/index.js';
import { silentLogger } from '../../src/logger.js';
import { openTestPki, readPem, type IssuedCertificate, type TestPki } from '../../src/pki.js';
import { createVtn, vtnConfigSchema, type Vtn, type VtnConfigInput } from '../../vtn/index.js';
import { hashSecret } from '../../vtn/openadr3/auth.js';

/** One PKI per machine for the tests (made once with openssl, reused). */
export function testPki(): TestPki {
  // FLEXBRIDGE_TEST_PKI: the suite run with a moved clock keeps its certificates apart.
  return openTestPki(process.env.FLEXBRIDGE_TEST_PKI ?? join(tmpdir(), 'flexbridge-test-pki'));
}

export interface RunningVtn {
  readonly vtn: Vtn;
  readonly oadrUrl: string;
  readonly apiUrl: string;
  /** The OpenADR 3 API's base URL, when configured. */
  readonly openadr3Url?: string;
  readonly pki: TestPki;
  readonly dataDir: string;
}

export async function startTlsVtn(dataDir: string, overrides: VtnConfigInput = {}, oadrPort = 0): Promise<RunningVtn> {
  const pki = testPki();
  const rsa = pki.issue('vtn', 'rsa');
  const ec = pki.issue('vtn', 'ecdsa');
  const config = vtnConfigSchema.parse({
    dataDir,
    api: { host: '127.0.0.1', port: 0 },
    ...overrides,
    // Overridden oadr settings keep the test TLS unless they name their own.
    oadr: { host: '127.0.0.1', port: oadrPort, tls: { pairs: [{ key: rsa.keyPath, cert: rsa.certPath }, { key: ec.keyPath, cert: ec.certPath }], ca: pki.caPath }, ...overrides.oadr },
  });
  const vtn = createVtn(config, { logger: silentLogger });
  const { oadrUrl, apiUrl, openadr3Url } = await vtn.start();
  return { vtn, oadrUrl, apiUrl, pki, dataDir, ...(openadr3Url ? { openadr3Url } : {}) };
}

/** An OAuth2 client of the OpenADR 3 API, with its secret in clear (the VTN gets its hash). */
export interface Openadr3TestClient { readonly id: string; readonly secret: string; readonly role: 'bl' | 'ven' }

/**
 * Our VTN with its OpenADR 3 API over HTTPS (the test CA's ECDSA certificate) and these clients;
 * `openadr3` adds to the 3.x section (webhooks, MQTT), `overrides` to the rest.
 */
export async function startOpenadr3Vtn(dataDir: string, clients: readonly Openadr3TestClient[], openadr3: Omit<NonNullable<VtnConfigInput['openadr3']>, 'clients'> = {}, overrides: VtnConfigInput = {}): Promise<RunningVtn> {
  const server = testPki().issue('vtn', 'ecdsa');
  return startTlsVtn(dataDir, {
    ...overrides,
    openadr3: {
      port: 0, tls: { key: server.keyPath, cert: server.certPath }, ...openadr3,
      clients: await Promise.all(clients.map(async (c) => ({ clientId: c.id, secretHash: await hashSecret(c.secret), role: c.role }))),
    },
  });
}

export interface OadrReply {
  readonly status: number;
  readonly body: string;
  readonly cipher?: string;
  readonly message?: OadrMessage;
}

/** POSTs a payload to a 2.0b service as a VEN holding `client`'s certificate. */
export function postOadr(oadrUrl: string, service: ServiceName, payload: OadrMessage | string, client: IssuedCertificate | undefined, pki: TestPki, extra: RequestOptions = {}): Promise<OadrReply> {
  const xml = typeof payload === 'string' ? payload : serializePayload(payload);
  return new Promise((resolve, reject) => {
    const req = request(`${oadrUrl}/${service}`, {
      method: 'POST', agent: false,
      ...clientTlsOptions({ ca: readPem(pki.caPath), ...(client ? { key: readPem(client.keyPath), cert: readPem(client.certPath) } : {}) }),
      headers: { 'content-type': 'application/xml' }, ...extra,
    }, (res) => {
      const cipher = (res.socket as TLSSocket).getCipher?.()?.name;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let message: OadrMessage | undefined;
        try { message = parsePayload(body).message; } catch { message = undefined; }
        resolve({ status: res.statusCode ?? 0, body, ...(cipher ? { cipher } : {}), ...(message ? { message } : {}) });
      });
    });
    req.on('error', reject);
    req.end(xml);
  });
}

export async function apiCall(apiUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${apiUrl}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  return { status: res.status, json: await res.json() };
}
