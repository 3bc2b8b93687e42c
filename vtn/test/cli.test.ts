import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/free-port.js';
import { testPki } from '../../test/support/vtn-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `flexbridge vtn ARGS` until it prints its listening line (then SIGTERM) or exits. */
function vtn(args: string[], cwd = root): Promise<{ code: number | null; out: string; listening?: Record<string, unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'vtn', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let listening: Record<string, unknown> | undefined;
  const take = (c: Buffer): void => {
    out += c.toString();
    const m = /\{"msg":"VTN listening".*\}/.exec(out);
    if (m && !listening) { listening = JSON.parse(m[0]) as Record<string, unknown>; child.kill('SIGTERM'); }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, ...(listening ? { listening } : {}) })));
}

describe('flexbridge vtn: safe defaults and a newcomer-proof start', () => {
  it('without --config explains what it needs and starts nothing', async () => {
    const { code, out } = await vtn([]);
    expect(code).toBe(2);
    expect(out).toMatch(/usage: flexbridge vtn --config FILE/);
    expect(out).toMatch(/npm run pki/);
    expect((await vtn(['--help'])).code).toBe(0);
  }, 30_000);

  it('a missing file is one clear line, not a stack trace', async () => {
    const { code, out } = await vtn(['--config', '/nonexistent/vtn.json']);
    expect(code).toBe(2);
    expect(out.trim().split('\n')).toEqual([expect.stringMatching(/^cannot read config \/nonexistent\/vtn.json: ENOENT/)]);
  }, 30_000);

  it('refuses plain HTTP unless the config says insecure, and then warns loudly', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vtn-cli-plain-'));
    writeFileSync(join(work, 'vtn.json'), JSON.stringify({ oadr: { port: 0 }, api: { port: 0 } }));
    const refused = await vtn(['--config', join(work, 'vtn.json')]);
    expect(refused.code).toBe(2);
    expect(refused.out).toMatch(/oadr: OpenADR is served over HTTPS with mutual TLS/);
    writeFileSync(join(work, 'vtn.json'), JSON.stringify({ oadr: { port: 0, insecure: true }, api: { port: 0, insecureNoToken: true } }));
    const plain = await vtn(['--config', join(work, 'vtn.json')]);
    expect(plain.listening).toBeDefined();
    expect(plain.out).toMatch(/INSECURE: OpenADR is served over plain HTTP on 127\.0\.0\.1/);
    expect(plain.out).toMatch(/INSECURE: the operator API .* has no bearer token/);
  }, 60_000);

  it('listens on loopback with TLS, generates an operator token once (0600), and reads paths relative to the config file', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vtn-cli-tls-'));
    const pki = testPki();
    const cert = pki.issue('vtn', 'ecdsa');
    const conf = join(work, 'etc');
    mkdirSync(conf);
    // Paths relative to the config file, not to the directory the command runs in.
    writeFileSync(join(conf, 'vtn.json'), JSON.stringify({
      dataDir: 'data', oadr: { port: 0, tls: { pairs: [{ key: relative(conf, cert.keyPath), cert: relative(conf, cert.certPath) }], ca: relative(conf, pki.caPath) } }, api: { port: 0 },
    }));
    const first = await vtn(['--config', join(conf, 'vtn.json')]);
    expect(first.listening).toMatchObject({ oadrUrl: expect.stringMatching(/^https:\/\/127\.0\.0\.1:/), apiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/), tokenFile: join(conf, 'data', 'operator-token') });
    const token = readFileSync(join(conf, 'data', 'operator-token'), 'utf8').trim();
    expect(first.out).toContain(`operator API token (saved in ${join(conf, 'data', 'operator-token')}): ${token}`);
    expect(statSync(join(conf, 'data', 'operator-token')).mode & 0o777).toBe(0o600);
    expect(first.out).not.toMatch(/INSECURE/);
    const second = await vtn(['--config', join(conf, 'vtn.json')]);
    expect(second.out).not.toContain(token);
    expect(readFileSync(join(conf, 'data', 'operator-token'), 'utf8').trim()).toBe(token);
  }, 60_000);

  it('--workers 2 runs two processes on one SQLite file sharing the ports; the one running the UVAM station is replaced when killed', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vtn-cli-workers-'));
    const apiPort = await freePort();
    writeFileSync(join(work, 'vtn.json'), JSON.stringify({
      dataDir: work, logLevel: 'warn', oadr: { port: 0, insecure: true }, api: { port: apiPort, insecureNoToken: true },
      uvam: { host: '127.0.0.1', port: 0, powerIoa: 1000, setpointIoa: 2000, venIds: ['no-such-ven'], programId: 'uvam' },
    }));
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), 'vtn', '--config', join(work, 'vtn.json'), '--workers', '2'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    const lines = (msg: string): Record<string, number>[] => out.split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).map((l) => JSON.parse(l) as Record<string, number>);
    const until = async (ok: () => boolean, what: string): Promise<void> => {
      const deadline = Date.now() + 30_000;
      while (!ok()) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${what}:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await until(() => lines('VTN listening').length === 2 && lines('UVAM station listening').length === 1, 'two workers and one UVAM station did not start');
      expect(lines('VTN listening').map((l) => l.worker).sort()).toEqual([0, 1]);
      // Whichever worker answers, both see the same store.
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`http://127.0.0.1:${apiPort}/api/programs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ programId: `p${i}`, name: 'P', marketContext: `http://m/${i}` }) });
        expect(res.status).toBe(201);
      }
      for (let i = 0; i < 4; i++) expect(await (await fetch(`http://127.0.0.1:${apiPort}/api/programs`)).json()).toHaveLength(4);
      const station = lines('UVAM station listening')[0]!;
      process.kill(station.pid!, 'SIGKILL');
      await until(() => lines('UVAM station listening').length === 2, 'the UVAM station did not come back with a new worker');
      expect(lines('UVAM station listening')[1]!.pid).not.toBe(station.pid);
      expect(out).toMatch(/VTN worker died; starting another/);
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 90_000);
});
