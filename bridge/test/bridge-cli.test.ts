import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/free-port.js';
import { readPem } from '../../src/pki.js';
import { eventually } from '../../test/support/eventually.js';
import { apiCall, startOpenadr3Vtn, testPki, type RunningVtn } from '../../test/support/vtn-harness.js';
import { Vtn3Client } from '../../ven/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// `flexbridge vtn` with an `upstream` section runs the bridge: here the utility is another FlexBridge
// VTN's OpenADR 3.1 API (no MQTT: the bridge polls), and its event reaches the bridge's fleet program.
describe('flexbridge vtn with an upstream section', () => {
  let utility: RunningVtn | undefined;
  const stops: (() => Promise<unknown> | void)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await utility?.vtn.stop();
  });

  it('starts the bridge on the leading node, keeps trying while the utility is away, then makes the fleet program and records the utility\'s event (no fleet yet: nothing derived, opt out); a broken upstream section is refused at load', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bridge-cli-'));
    const pki = testPki();
    const apiPort = await freePort();
    const utilityPort = await freePort();
    const upstream = { protocol: 'openadr3', url: `https://127.0.0.1:${utilityPort}`, venName: 'aggregator', clientId: 'aggregator', clientSecret: 'aggregator-secret', tls: { ca: pki.caPath }, pollFrequencyMs: 500, programId: 'fleet-dr' };
    const config = (extra: Record<string, unknown>): string => {
      const file = join(work, `bridge-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify({ dataDir: join(work, 'bridge'), logLevel: 'info', oadr: { port: 0, insecure: true }, api: { port: apiPort, insecureNoToken: true }, ...extra }));
      return file;
    };
    const run = (file: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'vtn', '--config', file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
      child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
      return { child, output: () => out, exited: new Promise<number | null>((resolve) => child.once('exit', resolve)) };
    };

    // A broken section is one clear line at load.
    const broken = run(config({ upstream: { ...upstream, clientSecret: undefined } }));
    expect(await broken.exited).toBe(2);
    expect(broken.output()).toMatch(/invalid VTN config .*upstream: an OpenADR 3 upstream needs clientId and clientSecret/);

    // The utility is not there yet: the VTN serves, the bridge keeps trying.
    const bridge = run(config({ upstream }));
    stops.push(async () => { bridge.child.kill('SIGTERM'); await bridge.exited; });
    const logged = (msg: string): Record<string, unknown>[] => bridge.output().split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).map((l) => JSON.parse(l) as Record<string, unknown>);
    const until = (what: string, probe: () => boolean | Promise<boolean>, ms = 30_000) => eventually(what, async () => ((await probe()) ? true : undefined), ms).catch((error: Error) => { throw new Error(`${error.message}\n${bridge.output()}`); });
    await until('the bridge trying again', () => logged('bridge: upstream VEN not started, trying again').length > 0);

    utility = await startOpenadr3Vtn(join(work, 'utility'), [{ id: 'utility-bl', secret: 'utility-bl-secret', role: 'bl' }, { id: 'aggregator', secret: 'aggregator-secret', role: 'ven' }], { port: utilityPort });
    const bl = new Vtn3Client({ baseUrl: utility.openadr3Url!, clientId: 'utility-bl', clientSecret: 'utility-bl-secret', ca: readPem(pki.caPath) });
    stops.push(() => bl.close());
    const program = await bl.post<{ id: string }>('programs', { programName: 'utility-dr' });
    await until('the bridge connected', () => logged('bridge: upstream VEN started').length > 0);
    // An event for every VEN of the utility (the bridge made its own VEN object when it connected).
    const start = new Date(Date.now() + 3_600_000).toISOString();
    const event = await bl.post<{ id: string }>('events', { programID: program.id, intervalPeriod: { start, duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [2] }] }] });
    await until('the upstream event at the bridge', () => logged('bridge: upstream event applied').length > 0);
    expect(logged('bridge: upstream event applied')).toEqual([expect.objectContaining({ upstreamId: event.id, modificationNumber: 0, derived: [], opt: 'optOut', allocatedBy: 'no VEN in the fleet' })]);
    const programs = (await apiCall(`http://127.0.0.1:${apiPort}`, 'GET', '/api/programs')).json as { programId: string }[];
    expect(programs.map((p) => p.programId)).toContain('fleet-dr');
  }, 90_000);
});
