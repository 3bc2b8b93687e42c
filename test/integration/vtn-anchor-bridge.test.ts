import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedLedger } from '../../anchor/index.js';
import { dates, householdDay, operator, retailer } from '../../anchor/test/scenario.js';
import { ManualClock } from '../../src/clock.js';
import { freePort } from '../../src/free-port.js';
import { silentLogger } from '../../src/logger.js';
import { readPem } from '../../src/pki.js';
import { Ven, VenStore, Vtn3Client } from '../../ven/index.js';
import { eventually } from '../support/eventually.js';
import { startOpenadr3Vtn, testPki, type RunningVtn } from '../support/vtn-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// `flexbridge vtn --anchor FILE` with an upstream section: the anchor runs in the VTN process and
// the DR contract on its ledger shares the utility's setpoint among the fleet. The utility is
// another FlexBridge's OpenADR 3.1 API; the fleet two 2.0b VENs whose meters have 35 days of
// history on the ledger.
describe('flexbridge vtn --anchor: the bridge allocates by the DR contract', () => {
  let utility: RunningVtn | undefined;
  const stops: (() => Promise<unknown> | void)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await utility?.vtn.stop();
  });

  it('shares the utility\'s setpoint by the contract, anchors the chain from the same process, and refuses a broken anchor file at start', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vtn-anchor-bridge-'));
    const pki = testPki();
    const venIdOf = (certPath: string): string => createHash('sha256').update(new X509Certificate(readFileSync(certPath)).raw).digest('hex').slice(-20);
    const houses = [{ name: 'house-a', meterId: 'meter-a', watts: 1000 }, { name: 'house-b', meterId: 'meter-b', watts: 3000 }].map((h) => {
      const cert = pki.issue(`anchor-bridge-${h.name}`, 'ecdsa');
      return { ...h, cert, venId: venIdOf(cert.certPath) };
    });

    // The meters and their last 35 days, as the anchor would have written them.
    const node = pki.issue('anchor-bridge-ledger', 'ecdsa');
    const ledgerPath = join(work, 'ledger.sqlite');
    const seed = new EmbeddedLedger({ path: ledgerPath, node: { privateKeyPem: readPem(node.keyPath), certificatePem: readPem(node.certPath) }, clock: new ManualClock(Date.now()) });
    const today = new Date().toISOString().slice(0, 10);
    const history = dates(new Date(Date.parse(`${today}T00:00:00Z`) - 35 * 86_400_000).toISOString().slice(0, 10), 35);
    for (const [i, h] of houses.entries()) {
      await seed.submit('registerMeter', { meterId: h.meterId, customerId: h.name, retailerId: 'retailer-1' }, operator);
      await seed.submit('recordEnergyBatch', { days: history.map((date, d) => ({ meterId: h.meterId, date, intervalMinutes: 15, values: householdDay(h.watts, d + i) })) }, retailer);
    }
    seed.close();
    const anchorFile = join(work, 'anchor.json');
    writeFileSync(anchorFile, JSON.stringify({
      store: join(work, 'anchor-store.sqlite'), ledger: { kind: 'embedded', path: ledgerPath, nodeKey: node.keyPath, nodeCert: node.certPath },
      identities: { operator, retailer }, meters: Object.fromEntries(houses.map((h) => [h.venId, { meterId: h.meterId }])), timeZone: 'UTC',
    }));

    utility = await startOpenadr3Vtn(join(work, 'utility'), [{ id: 'utility-bl', secret: 'utility-bl-secret', role: 'bl' }, { id: 'aggregator', secret: 'aggregator-secret', role: 'ven' }]);
    const bl = new Vtn3Client({ baseUrl: utility.openadr3Url!, clientId: 'utility-bl', clientSecret: 'utility-bl-secret', ca: readPem(pki.caPath) });
    stops.push(() => bl.close());
    const program = await bl.post<{ id: string }>('programs', { programName: 'utility-dr' });

    const apiPort = await freePort();
    const token = 'anchor-bridge-operator-token-0123';
    const vtnCert = pki.issue('anchor-bridge-vtn', 'ecdsa');
    const vtnFile = join(work, 'vtn.json');
    writeFileSync(vtnFile, JSON.stringify({
      dataDir: join(work, 'vtn'), logLevel: 'info', oadr: { host: '127.0.0.1', port: 0, tls: { pairs: [{ key: vtnCert.keyPath, cert: vtnCert.certPath }], ca: pki.caPath } },
      api: { port: apiPort, token },
      upstream: { protocol: 'openadr3', url: utility.openadr3Url, venName: 'aggregator', clientId: 'aggregator', clientSecret: 'aggregator-secret', tls: { ca: pki.caPath }, pollFrequencyMs: 500, programId: 'fleet-dr', readings: [{ rId: 'power' }] },
    }));
    const run = (args: string[]) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'vtn', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => { out = (out + c.toString()).slice(-500_000); });
      child.stderr.on('data', (c: Buffer) => { out = (out + c.toString()).slice(-500_000); });
      return { child, output: () => out, exited: new Promise<number | null>((resolve) => child.once('exit', resolve)) };
    };

    // A broken anchor file is one clear line, before anything starts.
    const brokenFile = join(work, 'broken-anchor.json');
    writeFileSync(brokenFile, JSON.stringify({ ledger: { kind: 'embedded', path: ledgerPath } }));
    const broken = run(['--config', vtnFile, '--anchor', brokenFile]);
    expect(await broken.exited).toBe(2);
    expect(broken.output()).toMatch(/invalid anchor config .*broken-anchor\.json: ledger/);

    const vtn = run(['--config', vtnFile, '--anchor', anchorFile]);
    stops.push(async () => { if (vtn.child.exitCode === null) { vtn.child.kill('SIGTERM'); await vtn.exited; } });
    const fail = (error: Error): never => { throw new Error(`${error.message}\n${vtn.output().slice(-4000)}`); };
    const listening = await eventually('the VTN listening', async () => {
      const line = vtn.output().split('\n').find((l) => l.includes('"msg":"VTN listening"'));
      return line ? (JSON.parse(line) as { oadrUrl: string }) : undefined;
    }, 30_000).catch(fail);
    await eventually('the anchor and the bridge started', async () => (vtn.output().includes('bridge started, allocating by the DR contract') ? true : undefined), 30_000).catch(fail);

    // The fleet: two 2.0b VENs with their present power.
    for (const h of houses) {
      const store = new VenStore(join(work, `${h.name}.sqlite`));
      const ven = new Ven({
        vtnUrl: listening.oadrUrl, venName: h.name, store, logger: silentLogger,
        tls: { key: readPem(h.cert.keyPath), cert: readPem(h.cert.certPath), ca: readPem(pki.caPath) },
        usage: [{ rId: 'power', resourceId: h.meterId, read: () => h.watts }],
      });
      stops.push(() => store.close(), () => ven.stop());
      await ven.register();
      expect(ven.venId).toBe(h.venId);
      await ven.submitReadings([{ rId: 'power', dtstart: Date.now() - 60_000, durationMs: 60_000, value: h.watts }]);
    }

    // The utility asks for 2,000 W over the next 15 minutes.
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const event = await bl.post<{ id: string }>('events', { programID: program.id, intervalPeriod: { start, duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'DISPATCH_SETPOINT', values: [2000] }] }] });
    const api = async <T>(path: string): Promise<T> => {
      const response = await fetch(`http://127.0.0.1:${apiPort}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return (await response.json()) as T;
    };
    const record = await eventually('the upstream event at the bridge', async () => (await api<{ upstreamId: string; allocatedBy: string; derivedEventIds: string[]; opt: string }[]>('/api/upstream-events')).find((u) => u.upstreamId === event.id), 30_000).catch(fail);
    expect(record.allocatedBy).toMatch(/^the DR contract \(ledger event up-\S+-v0-i0, 2 customers\)/);
    expect(record.derivedEventIds).toHaveLength(2);
    expect(record.opt).toBe('optIn');
    const targets = await Promise.all(record.derivedEventIds.map(async (id) => {
      const e = await api<{ event: { target: { venIds: string[] }; signals: { signalName: string; intervals: { payloads: { kind: string; value: number }[] }[] }[] } }>(`/api/events/${id}`);
      return [e.event.target.venIds[0], e.event.signals.find((s) => s.signalName === 'LOAD_DISPATCH')!.intervals[0]!.payloads[0]!.value] as const;
    }));
    // Each household's share is the contract's target: a reduction from its present power, not a pro-rata split.
    for (const [venId, w] of targets) {
      const house = houses.find((h) => h.venId === venId)!;
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(house.watts);
    }
    expect(targets.map(([, w]) => w)).not.toEqual([500, 1500]);

    // The same process anchored the request: its grid order is on the ledger, with the contract's DR event.
    const readOnly = (): EmbeddedLedger => new EmbeddedLedger({ path: ledgerPath, node: { certificatePem: readPem(node.certPath) }, clock: new ManualClock(Date.now()) });
    const order = await eventually('the grid order on the ledger', async () => {
      const ledger = readOnly();
      try {
        return ledger.history('gridOrder', [`upstream-up-${event.id}-v0`]).at(-1)?.value as { allocatedBy: string; eventIds: string[] } | undefined;
      } finally {
        ledger.close();
      }
    }, 30_000).catch(fail);
    expect(order.allocatedBy).toBe(record.allocatedBy);
    expect([...order.eventIds].sort()).toEqual([...record.derivedEventIds].sort());
    vtn.child.kill('SIGTERM');
    expect(await vtn.exited).toBe(0);
    const ledger = readOnly();
    try {
      expect(ledger.verifyChain()).toMatchObject({ ok: true });
    } finally {
      ledger.close();
    }
  }, 120_000);
});
