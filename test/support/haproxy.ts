import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const HAPROXY = '/usr/sbin/haproxy';

export interface BalancedNode {
  readonly name: string;
  /** Where the traffic goes. */
  readonly port: number;
  /** The node's operator API, whose /readyz is the health check. */
  readonly checkPort: number;
}

export interface RunningHaproxy {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * A real HAProxy (Debian's package) in front of VTN nodes: OpenADR passed through as TCP (mutual
 * TLS ends at the node, which must see the VEN's certificate), the operator API as HTTP; each node
 * checked on its /readyz every 300 ms, sessions of a node marked down cut at once.
 */
export async function startHaproxy(work: string, frontends: { oadrPort: number; apiPort: number }, nodes: readonly BalancedNode[]): Promise<RunningHaproxy> {
  if (!existsSync(HAPROXY)) throw new Error(`${HAPROXY} is missing: run \`npm run setup\` (installs Debian's haproxy package)`);
  const config = join(work, 'haproxy.cfg');
  const check = 'check inter 300ms fall 2 rise 2 on-marked-down shutdown-sessions';
  writeFileSync(config, `
global
  maxconn 4096
defaults
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  retries 3
  option redispatch
frontend oadr
  mode tcp
  bind 127.0.0.1:${frontends.oadrPort}
  default_backend oadr_nodes
backend oadr_nodes
  mode tcp
  balance roundrobin
  option httpchk
  http-check send meth GET uri /readyz
${nodes.map((n) => `  server ${n.name} 127.0.0.1:${n.port} ${check} port ${n.checkPort}`).join('\n')}
frontend api
  mode http
  bind 127.0.0.1:${frontends.apiPort}
  default_backend api_nodes
backend api_nodes
  mode http
  balance roundrobin
  option httpchk
  http-check send meth GET uri /readyz
${nodes.map((n) => `  server ${n.name} 127.0.0.1:${n.checkPort} ${check}`).join('\n')}
`);
  const child = spawn(HAPROXY, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${output}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(frontends.apiPort, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) break;
    if (Date.now() > deadline) throw new Error(`haproxy did not listen within 10 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
