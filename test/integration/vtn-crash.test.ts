import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientTlsOptions, durationFromMs, parsePayload, serializePayload, type OadrMessage, type OadrRegisteredReport, type ServiceName } from '../../schemas/index.js';
import { readPem, type IssuedCertificate } from '../../src/pki.js';
import { SqliteVtnStore } from '../../vtn/index.js';
import { testPki } from '../support/vtn-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function startVtnProcess(configPath: string): Promise<{ child: ChildProcess; oadrUrl: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'vtn', '--config', configPath], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`VTN did not start:\n${output}`)); }, 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /"oadrUrl":"([^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, oadrUrl: match[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    child.on('exit', (code) => reject(new Error(`VTN exited with ${code}:\n${output}`)));
  });
}

function post(agent: Agent, url: string, service: ServiceName, message: OadrMessage): Promise<OadrMessage> {
  const xml = serializePayload(message);
  return new Promise((resolve, reject) => {
    const req = request(`${url}/${service}`, { method: 'POST', agent, headers: { 'content-type': 'application/xml' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try { resolve(parsePayload(Buffer.concat(chunks)).message); } catch (e) { reject(e); }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(xml);
  });
}

describe('VTN durability', () => {
  it('loses no acknowledged reading or opt when killed with SIGKILL under load', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vtn-crash-'));
    const pki = testPki();
    const rsa = pki.issue('vtn', 'rsa');
    const ec = pki.issue('vtn', 'ecdsa');
    const configPath = join(dataDir, 'vtn.json');
    writeFileSync(configPath, JSON.stringify({
      dataDir, logLevel: 'warn', oadr: { host: '127.0.0.1', port: 0, tls: { pairs: [{ key: rsa.keyPath, cert: rsa.certPath }, { key: ec.keyPath, cert: ec.certPath }], ca: pki.caPath } }, api: { host: '127.0.0.1', port: 0 },
    }));
    let vtn = await startVtnProcess(configPath);
    const vens: { cert: IssuedCertificate; venId: string; agent: Agent; requestId?: string }[] = Array.from({ length: 8 }, (_, i) => {
      const cert = pki.issue(`crash-ven-${i}`, i % 2 ? 'rsa' : 'ecdsa');
      return {
        cert, venId: createHash('sha256').update(new X509Certificate(readFileSync(cert.certPath)).raw).digest('hex').slice(-20),
        agent: new Agent({ keepAlive: true, ...clientTlsOptions({ key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }) }),
      };
    });
    for (const ven of vens) {
      await post(ven.agent, vtn.oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true });
      const registered = (await post(ven.agent, vtn.oadrUrl, 'EiReport', {
        type: 'oadrRegisterReport', requestId: 'rr', venId: ven.venId, reports: [{ reportRequestId: '0', reportSpecifierId: 'usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
          descriptions: [{ rId: 'power', reportType: 'usage', readingType: 'Direct Read' }] }],
      })) as OadrRegisteredReport;
      ven.requestId = registered.reportRequests![0]!.reportRequestId;
    }

    // Load: every VEN sends one new reading after another; the acknowledged ones are remembered.
    const acknowledged: { venId: string; dtstart: number }[] = [];
    const acknowledgedOpts: string[] = [];
    let stop = false;
    const base = Date.UTC(2026, 0, 1);
    const load = vens.map(async (ven, v) => {
      for (let i = 0; !stop; i++) {
        const dtstart = base + i * 900_000;
        try {
          const answer = await post(ven.agent, vtn.oadrUrl, 'EiReport', {
            type: 'oadrUpdateReport', requestId: `u${i}`, venId: ven.venId, reports: [{ reportRequestId: ven.requestId!, reportSpecifierId: 'usage', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
              intervals: [{ dtstart: { epochMs: dtstart, microsOfMs: 0 }, duration: durationFromMs(900_000), payloads: [{ kind: 'report', rId: 'power', value: { kind: 'float', value: i } }] }] }],
          });
          if (answer.type === 'oadrUpdatedReport' && answer.response.responseCode === 200) acknowledged.push({ venId: ven.venId, dtstart });
          if (i % 10 === 0) {
            const optId = `opt-${v}-${i}`;
            const opt = await post(ven.agent, vtn.oadrUrl, 'EiOpt', { type: 'oadrCreateOpt', requestId: optId, optId, optType: 'optOut', optReason: 'x-schedule', venId: ven.venId, createdDateTime: { epochMs: Date.now(), microsOfMs: 0 }, target: { venIds: [ven.venId] }, availability: [{ dtstart: { epochMs: dtstart, microsOfMs: 0 }, duration: durationFromMs(3_600_000) }] });
            if (opt.type === 'oadrCreatedOpt' && opt.response.responseCode === 200) acknowledgedOpts.push(optId);
          }
        } catch {
          return; // the VTN is gone: requests in flight were never acknowledged
        }
      }
    });
    await new Promise((r) => setTimeout(r, 2500));
    vtn.child.kill('SIGKILL');
    await new Promise((r) => vtn.child.once('exit', r));
    stop = true;
    await Promise.all(load);
    for (const ven of vens) ven.agent.destroy();
    expect(acknowledged.length).toBeGreaterThan(50);

    // The store after the crash: every acknowledged reading and opt is there.
    const store = new SqliteVtnStore({ path: join(dataDir, 'vtn.sqlite') });
    const stored = new Set((await store.read.listReadings({ limit: 100_000 })).map((r) => `${r.venId}@${r.dtstart}`));
    const missing = acknowledged.filter((a) => !stored.has(`${a.venId}@${a.dtstart}`));
    expect(missing).toEqual([]);
    const opts = new Set((await store.read.listOpts()).map((o) => o.optId));
    expect(acknowledgedOpts.filter((o) => !opts.has(o))).toEqual([]);
    store.close();

    // And the VTN starts again on the same data and answers.
    vtn = await startVtnProcess(configPath);
    try {
      const agent = new Agent(clientTlsOptions({ key: readPem(vens[0]!.cert.keyPath), cert: readPem(vens[0]!.cert.certPath), ca: readPem(pki.caPath) }));
      expect(await post(agent, vtn.oadrUrl, 'OadrPoll', { type: 'oadrPoll', venId: vens[0]!.venId })).toMatchObject({ venId: vens[0]!.venId });
      agent.destroy();
    } finally {
      vtn.child.kill('SIGKILL');
      await new Promise((r) => vtn.child.once('exit', r));
    }
  }, 60_000);
});
