import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The virtualenv python holding the interop peers; a missing one fails the test with the step that installs it. */
export function peerPython(): string {
  const python = join(root, '.flexbridge', 'python', 'bin', 'python');
  if (!existsSync(python)) throw new Error(`Python interop peers are not installed (${python} missing): run \`npm run setup\``);
  return python;
}

/** The Python >= 3.12 virtualenv holding the OpenADR 3 peers (ElaadNL's openadr3-client). */
export function openadr3PeerPython(): string {
  const python = join(root, '.flexbridge', 'python-openadr3', 'bin', 'python');
  if (!existsSync(python)) throw new Error(`OpenADR 3 interop peers are not installed (${python} missing): run \`npm run setup\` (needs a Python >= 3.12)`);
  return python;
}

export interface PeerProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export function startPeer(script: string, args: string[], options: { python?: string; env?: NodeJS.ProcessEnv } = {}): PeerProcess {
  const child = spawn(options.python ?? peerPython(), [join(root, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(options.env ? { env: options.env } : {}) });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, describe: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${describe()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export { freePort } from '../../src/free-port.js';
