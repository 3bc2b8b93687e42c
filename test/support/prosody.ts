import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { testPki } from './vtn-harness.js';
import { freePort } from './python-peers.js';

const PROSODY = '/usr/bin/prosody';
const PROSODYCTL = '/usr/bin/prosodyctl';

/** A real Prosody (Debian's package) on loopback, direct TLS only, for one test file. */
export interface RunningProsody {
  /** xmpps://127.0.0.1:PORT */
  readonly service: string;
  readonly domain: string;
  readonly caPath: string;
  addAccount(username: string, password: string): void;
  /**
   * Many accounts at once, written as Prosody's internal_hashed SCRAM-SHA-1 records (what
   * prosodyctl would write, without one Lua start per account). Letters and digits only.
   */
  addAccounts(accounts: readonly { username: string; password: string }[], iterations?: number): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startProsody(work: string): Promise<RunningProsody> {
  if (!existsSync(PROSODY)) throw new Error(`${PROSODY} is missing: run \`npm run setup\` (installs Debian's prosody package)`);
  mkdirSync(join(work, 'data'), { recursive: true });
  const pki = testPki();
  const cert = pki.issue('xmpp-server', 'ecdsa');
  const port = await freePort();
  const config = join(work, 'prosody.cfg.lua');
  // The domain is `localhost`: the test PKI's certificates name it (and 127.0.0.1).
  writeFileSync(config, `
pidfile = "${join(work, 'prosody.pid')}"
data_path = "${join(work, 'data')}"
run_as_root = true
daemonize = false
log = { { levels = { min = "info" }, to = "file", filename = "${join(work, 'prosody.log')}" } }
modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "smacks" }
modules_disabled = { "s2s", "offline", "register", "http", "posix" }
interfaces = { "127.0.0.1" }
c2s_ports = { }
c2s_direct_tls_ports = { ${port} }
s2s_ports = { }
c2s_require_encryption = true
authentication = "internal_hashed"
storage = "internal"
certificates = "${work}"
ssl = { key = "${cert.keyPath}", certificate = "${cert.certPath}" }
VirtualHost "localhost"
  ssl = { key = "${cert.keyPath}", certificate = "${cert.certPath}" }
`);
  let child: ChildProcess | undefined;
  const listening = async (): Promise<boolean> => new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
  const server: RunningProsody = {
    service: `xmpps://127.0.0.1:${port}`,
    domain: 'localhost',
    caPath: pki.caPath,
    addAccount(username, password) {
      execFileSync(PROSODYCTL, ['--config', config, 'register', username, 'localhost', password], { stdio: 'ignore' });
    },
    addAccounts(accounts, iterations = 4096) {
      const dir = join(work, 'data', 'localhost', 'accounts');
      mkdirSync(dir, { recursive: true });
      for (const { username, password } of accounts) {
        if (!/^[a-z0-9]+$/.test(username)) throw new Error(`account names here are lowercase letters and digits: ${username}`);
        const salt = randomUUID();
        const salted = pbkdf2Sync(password, salt, iterations, 20, 'sha1');
        const storedKey = createHash('sha1').update(createHmac('sha1', salted).update('Client Key').digest()).digest('hex');
        const serverKey = createHmac('sha1', salted).update('Server Key').digest('hex');
        writeFileSync(join(dir, `${username}.dat`), `return {\n\t["server_key"] = "${serverKey}";\n\t["iteration_count"] = ${iterations};\n\t["stored_key"] = "${storedKey}";\n\t["salt"] = "${salt}";\n};\n`);
      }
    },
    async start() {
      child = spawn(PROSODY, ['--config', config], { stdio: 'ignore' });
      const deadline = Date.now() + 15_000;
      while (!(await listening())) {
        if (Date.now() > deadline) throw new Error(`Prosody did not listen on ${port}; see ${join(work, 'prosody.log')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((r) => running.once('exit', r));
      running.kill('SIGTERM');
      await exited;
    },
  };
  return server;
}
