import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/** Debian's PostgreSQL server binaries (the newest major installed); a missing server says how to install it. */
export function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter((d) => existsSync(join(base, d, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (majors.length === 0) throw new Error(`PostgreSQL server binaries are missing under ${base}: run \`npm run setup\` (installs Debian's postgresql package)`);
  return join(base, majors[0]!, 'bin');
}

/** PostgreSQL refuses to run as root: as root the cluster belongs to Debian's `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === 'postgres');
  if (!passwd) throw new Error('running as root, PostgreSQL needs an unprivileged `postgres` user: run `npm run setup` (Debian\'s postgresql package creates it)');
  return { uid: Number(passwd[2]), gid: Number(passwd[3]) };
}

export interface PostgresClusterState {
  readonly dir: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Server binaries other than Debian's (PostgreSQL 17 for a peer that needs it). */
  readonly bin?: string;
}

/**
 * A private PostgreSQL cluster: initdb in its own directory, loopback TCP on a free port, password
 * authentication, started and stopped with pg_ctl. Tests, benches and the demo's utility VTN use
 * it; production points the VTN at the operator's own server.
 */
export class PostgresCluster {
  constructor(readonly state: PostgresClusterState) {}

  static async create(dir: string, settings: Record<string, string> = {}, binDir?: string): Promise<PostgresCluster> {
    const bin = binDir ?? postgresBin();
    const owner = runAs();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'data'), { recursive: true, mode: 0o700 });
    const password = randomBytes(12).toString('hex');
    writeFileSync(join(dir, 'pwfile'), `${password}\n`);
    if (owner) for (const path of [dir, join(dir, 'data'), join(dir, 'pwfile')]) chownSync(path, owner.uid, owner.gid);
    run(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'flexbridge', '--auth=scram-sha-256', `--pwfile=${join(dir, 'pwfile')}`, '-E', 'UTF8', '--locale=C.UTF-8'], owner);
    const port = await freePort();
    // fsync off: the tests crash processes, never the machine, and the OS keeps what was written.
    const conf = { listen_addresses: "'127.0.0.1'", port: String(port), unix_socket_directories: `'${dir}'`, max_connections: '300', fsync: 'off', full_page_writes: 'off', shared_buffers: '128MB', log_min_messages: 'warning', ...settings };
    writeFileSync(join(dir, 'data', 'postgresql.auto.conf'), Object.entries(conf).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
    if (owner) chownSync(join(dir, 'data', 'postgresql.auto.conf'), owner.uid, owner.gid);
    const cluster = new PostgresCluster({ dir, port, user: 'flexbridge', password, ...(binDir ? { bin: binDir } : {}) });
    writeFileSync(join(dir, 'state.json'), JSON.stringify(cluster.state));
    return cluster;
  }

  static open(dir: string): PostgresCluster | undefined {
    try {
      return new PostgresCluster(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as PostgresClusterState);
    } catch {
      return undefined;
    }
  }

  private ctl(args: string[]): void {
    run(join(this.state.bin ?? postgresBin(), 'pg_ctl'), ['-D', join(this.state.dir, 'data'), ...args], runAs());
  }

  start(): void {
    this.ctl(['start', '-w', '-t', '60', '-l', join(this.state.dir, 'server.log')]);
  }

  /** `immediate` is a crash: no checkpoint, recovery from the WAL at the next start. */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.ctl(['stop', '-w', '-t', '60', '-m', mode]);
  }

  running(): boolean {
    return spawnSync(join(this.state.bin ?? postgresBin(), 'pg_ctl'), ['-D', join(this.state.dir, 'data'), 'status'], { stdio: 'ignore', ...runAs() }).status === 0;
  }

  url(database = 'postgres'): string {
    const { user, password, port } = this.state;
    return `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
  }

  /** A new empty database (one per test file or benchmark run). */
  async createDatabase(prefix = 'fb'): Promise<string> {
    const name = `${prefix}_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  destroy(): void {
    if (this.running()) this.stop('immediate');
    rmSync(this.state.dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], owner: { uid: number; gid: number } | undefined): void {
  try {
    execFileSync(command, args, { stdio: 'pipe', cwd: tmpdir(), ...owner });
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr?.toString() || e.stdout?.toString() || e.message}`);
  }
}
