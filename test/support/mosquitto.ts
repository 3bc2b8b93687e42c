import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/free-port.js';

const MOSQUITTO = '/usr/sbin/mosquitto';

export interface RunningBroker {
  readonly url: string;
  readonly port: number;
  /** Stops the broker (SIGKILL with `crash`), keeping its port for a restart. */
  stop(crash?: boolean): Promise<void>;
  start(): Promise<void>;
}

/** Debian's Mosquitto on a loopback port of its own, anonymous, no persistence. */
export async function startMosquitto(): Promise<RunningBroker> {
  if (!existsSync(MOSQUITTO)) throw new Error(`${MOSQUITTO} is missing: run \`npm run setup\` (installs Debian's mosquitto package)`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n`);
  let child: ChildProcess | undefined;
  let output = '';
  const start = async (): Promise<void> => {
    child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const open = await new Promise<boolean>((resolve) => { const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); }); s.on('error', () => resolve(false)); });
      if (open) return;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not start:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`, port, start,
    async stop(crash = false) {
      const running = child;
      if (!running || running.exitCode !== null) return;
      running.kill(crash ? 'SIGKILL' : 'SIGTERM');
      await new Promise((r) => running.once('exit', r));
    },
  };
}
