import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = (args: string[]): ChildProcess => spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
function run(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = cli(args);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { out += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('flexbridge vtn with a UVAM station, driven by flexbridge iec104', () => {
  it('serves interrogation over IEC 104 from the VTN process and records a refused order on the feed', async () => {
    const work = mkdtempSync(join(tmpdir(), 'iec104-cli-'));
    const config = join(work, 'vtn.json');
    writeFileSync(config, JSON.stringify({
      dataDir: work, logLevel: 'warn', oadr: { host: '127.0.0.1', port: 0, insecure: true }, api: { host: '127.0.0.1', port: 0 },
      uvam: { host: '127.0.0.1', port: 0, powerIoa: 1000, setpointIoa: 2000, venIds: ['no-such-ven'], programId: 'uvam' },
    }));
    const vtn = cli(['vtn', '--config', config]);
    let output = '';
    vtn.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
    vtn.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
    try {
      const started = await new Promise<{ apiUrl: string; iec104Port: number; tokenFile: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`VTN did not start:\n${output}`)), 20_000);
        vtn.stdout?.on('data', () => {
          const m = /\{"msg":"VTN listening".*\}/.exec(output);
          const station = /\{"msg":"UVAM station listening".*\}/.exec(output);
          if (m && station) { clearTimeout(timer); resolve({ ...JSON.parse(m[0]), ...JSON.parse(station[0]) } as { apiUrl: string; iec104Port: number; tokenFile: string }); }
        });
      });
      const port = String(started.iec104Port);
      const gi = await run(['iec104', '--port', port, 'interrogate']);
      expect(gi).toEqual({ code: 0, out: '{"type":"M_ME_TF_1","ioa":1000,"value":0}\n' });
      // A UVAM without measured power cannot share a setpoint: refused, and the refusal is recorded.
      const order = await run(['iec104', '--port', port, 'setpoint', '2000', '1500', '--select']);
      expect(order.code).toBe(1);
      expect(order.out).toMatch(/C_SE_NC_1\/1\/2000 refused \(cause 7\)/);
      // No token configured: the VTN generated one on first start and saved it beside its data.
      const token = readFileSync(started.tokenFile, 'utf8').trim();
      // The station's connections and the refused order are in the VTN's metrics.
      const metrics = await (await fetch(`${started.apiUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
      expect(metrics).toMatch(/^flexbridge_iec104_connections_accepted_total [2-9]/m);
      expect(metrics).toMatch(/^flexbridge_iec104_orders_total\{outcome="refused"\} 1$/m);
      expect((await fetch(`${started.apiUrl}/api/feed?after=0`)).status).toBe(401);
      const feed = await (await fetch(`${started.apiUrl}/api/feed?after=0&limit=100&waitMs=0`, { headers: { authorization: `Bearer ${token}` } })).json() as { entries: { kind: string; data: Record<string, unknown> }[] };
      expect(feed.entries.find((e) => e.kind === 'gridOrder')?.data).toMatchObject({ source: 'iec104', setpointW: 1500, accepted: false, reason: 'the UVAM has no measured power to share the setpoint by' });
    } finally {
      vtn.kill('SIGTERM');
    }
    expect(await new Promise((r) => vtn.once('exit', (code) => r(code)))).toBe(0);
  }, 60_000);
});
