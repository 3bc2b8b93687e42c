import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePayload, serializePayload, serverTlsOptions, type OadrMessage } from '../../schemas/index.js';
import { readPem, type IssuedCertificate } from '../../src/pki.js';
import { pushUrl } from '../transport/push-target.js';
import { apiCall, postOadr, startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';
import { PushTargetError } from '../errors.js';

// Attacks through push (issue 15, items 6, 7 and 9), reproduced against a running VTN.

const venIdOf = (cert: IssuedCertificate): string => createHash('sha256').update(new X509Certificate(readFileSync(cert.certPath)).raw).digest('hex').slice(-20);
const until = async (probe: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('push targets are built structurally', () => {
  const policy = { allowPlainHttp: false, localEndpoints: () => [{ host: '127.0.0.1', port: 8080 }] };
  it('appends the service path to the URL path, whatever the address ends with', () => {
    expect(pushUrl('https://ven.example/base/', 'EiEvent', policy).href).toBe('https://ven.example/base/OpenADR2/Simple/2.0b/EiEvent');
    expect(pushUrl('https://ven.example:9443', 'EiReport', policy).href).toBe('https://ven.example:9443/OpenADR2/Simple/2.0b/EiReport');
  });
  it.each([
    ['http://127.0.0.1:8080/api/vens/x/cancel-registration#', /not allowed|fragment/],
    ['https://127.0.0.1:8080/api/vens/x/cancel-registration#', /fragment/],
    ['https://ven.example/a?b=', /query/],
    ['https://user:pw@ven.example/', /credentials/],
    ['https://localhost:8080', /VTN's own listeners/],
    ['https://[::1]:8080', /VTN's own listeners/],
    ['https://169.254.169.254/', /link-local/],
    ['http://ven.example/', /not allowed/],
    ['file:///etc/passwd', /not allowed/],
  ])('refuses %s', (address, reason) => {
    expect(() => pushUrl(address, 'EiEvent', policy)).toThrow(PushTargetError);
    expect(() => pushUrl(address, 'EiEvent', policy)).toThrow(reason);
  });
});

describe('push to hostile VENs', () => {
  let running: RunningVtn | undefined;
  let venServer: Server | undefined;
  afterEach(async () => {
    await running?.vtn.stop();
    await new Promise((r) => (venServer ? venServer.close(r) : r(undefined)));
    venServer = undefined;
  });

  async function pushVen(cert: IssuedCertificate, answer: (message: OadrMessage, res: import('node:http').ServerResponse) => void): Promise<string> {
    const pki = running!.pki;
    venServer = createServer(serverTlsOptions({ pairs: [{ key: readPem(cert.keyPath), cert: readPem(cert.certPath) }], ca: readPem(pki.caPath) }), (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => answer(parsePayload(Buffer.concat(chunks)).message, res));
    });
    await new Promise<void>((r) => venServer!.listen(0, '127.0.0.1', () => r()));
    return `https://127.0.0.1:${(venServer.address() as AddressInfo).port}`;
  }

  const register = (cert: IssuedCertificate, transportAddress: string, xmlSignature = false) => postOadr(running!.oadrUrl, 'EiRegisterParty', {
    type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', transportAddress, reportOnly: false, xmlSignature, httpPullModel: false,
  }, cert, running!.pki);
  const event = async (venId: string, eventId: string): Promise<void> => {
    await apiCall(running!.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
    await apiCall(running!.apiUrl, 'POST', '/api/events', { programId: 'p', eventId, dtstart: Date.now() + 3_600_000, targets: { venIds: [venId] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] });
  };

  it('refuses a push address that would redirect the push (fragment, query) into the operator API', async () => {
    running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'vtn-ssrf-')));
    const victim = running.pki.issue('ssrf-victim', 'ecdsa');
    await postOadr(running.oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true }, victim, running.pki);
    const attacker = running.pki.issue('ssrf-attacker', 'ecdsa');
    const api = new URL(running.apiUrl);
    const reply = await register(attacker, `https://${api.host}/api/vens/${venIdOf(victim)}/cancel-registration#`);
    expect(reply.message).toMatchObject({ response: { responseCode: 454 } });
    expect((await running.vtn.store.read.getVen(venIdOf(victim)))?.state).toBe('registered');
  });

  it('stops reading a push reply past the body limit instead of buffering it', async () => {
    running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'vtn-bigreply-')), { oadr: { bodyLimitBytes: 1024 * 1024 }, push: { minBackoffMs: 60_000, maxBackoffMs: 60_000, intervalMs: 50 } });
    const cert = running.pki.issue('big-reply-ven', 'ecdsa');
    let written = 0;
    let finished = false;
    const address = await pushVen(cert, (_message, res) => {
      // An endless reply without content-length: 64 KiB chunks until the VTN hangs up (or 64 MiB).
      res.writeHead(200, { 'content-type': 'application/xml' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const more = (): void => {
        while (written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) { res.once('drain', more); return; }
        }
        res.end();
      };
      res.on('close', () => { finished = true; });
      more();
    });
    await register(cert, address);
    await until(() => finished);
    expect(written).toBeLessThan(16 * 1024 * 1024);
    const pending = await running.vtn.store.read.pendingOutbox(venIdOf(cert));
    expect(pending.some((p) => /exceeds 1048576 bytes/.test(p.lastError ?? ''))).toBe(true);
  }, 30_000);

  it('does not record an unsigned push reply from a VEN that announced XML signatures', async () => {
    running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'vtn-unsigned-')), { push: { minBackoffMs: 100, maxBackoffMs: 400, intervalMs: 50 } });
    const cert = running.pki.issue('unsigned-reply-ven', 'ecdsa');
    const venId = venIdOf(cert);
    let distributes = 0;
    const address = await pushVen(cert, (message, res) => {
      let answer: OadrMessage = { type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, venId };
      if (message.type === 'oadrDistributeEvent' && message.events.length) {
        distributes++;
        answer = { type: 'oadrCreatedEvent', venId, response: { responseCode: 200, requestId: message.requestId },
          eventResponses: message.events.map((e) => ({ responseCode: 200, requestId: message.requestId, qualifiedEventId: { eventId: e.descriptor.eventId, modificationNumber: e.descriptor.modificationNumber }, optType: 'optOut' as const })) };
      }
      res.writeHead(200, { 'content-type': 'application/xml' }).end(serializePayload(answer));
    });
    expect((await register(cert, address, true)).message).toMatchObject({ response: { responseCode: 200 } });
    await event(venId, 'signed-only');
    await until(() => distributes > 0);
    await until(async () => (await running!.vtn.store.read.pendingOutbox(venId)).length === 0);
    expect(await running.vtn.store.read.listEventResponses('signed-only')).toEqual([]);
  });
});
