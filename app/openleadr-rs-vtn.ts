import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argon2id } from 'hash-wasm';
import pg from 'pg';
import { freePort } from '../src/free-port.js';
import { PostgresCluster } from '../src/postgres-cluster.js';

// openleadr-rs's OpenADR 3.1 VTN (crates.io) run as a peer: the utility of the demo's upstream
// mode, and the independent VTN of the interop tests and benchmarks.

/** openleadr-rs's migrations need PostgreSQL ≥ 16: setup unpacks 17 from Maven Central here. */
export const POSTGRES17_BIN = join(process.env.FLEXBRIDGE_SHARED_CACHE ?? '/var/cache/flexbridge', 'postgres-17.11.0', 'bin');

export interface OpenleadrUser { readonly clientId: string; readonly secret: string; readonly scopes: readonly string[] }

/** Scopes openleadr-rs gives business logic and VENs (it splits write_vens, write_reports and write_subscriptions by role). */
export const OPENLEADR_BL_SCOPES = ['read_all', 'write_vens_bl', 'write_programs', 'write_events', 'write_users', 'write_subscriptions_bl', 'write_reports_bl'];
export const OPENLEADR_VEN_SCOPES = ['read_targets', 'read_ven_objects', 'write_reports_ven', 'write_subscriptions_ven', 'write_vens_ven'];

export interface RunningOpenleadrVtn {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

export interface OpenleadrVtnOptions {
  readonly mqttUrl?: string;
  readonly topicPrefix?: string;
  /** fsync on (benchmarks): the tests' clusters run without. */
  readonly durable?: boolean;
}

/** The package's root (this file runs from app/ under tsx and from dist/app/ when built). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'scripts', 'openleadr-rs.mjs'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find scripts/openleadr-rs.mjs above this module');
    dir = up;
  }
  return dir;
}

/**
 * The openleadr-vtn binary, built by cargo from crates.io on first use (about 10 minutes on 2
 * cores, progress on stderr) and cached outside the clone by version; `npm run setup` builds it too.
 */
export function provideOpenleadrVtnBinary(): string {
  const result = spawnSync(process.execPath, [join(packageRoot(), 'scripts', 'openleadr-rs.mjs'), 'vtn'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openleadr-vtn could not be built (scripts/openleadr-rs.mjs exited ${result.status ?? result.signal}): see above`);
  const binary = (JSON.parse(result.stdout) as { openleadrVtn: string }).openleadrVtn;
  if (!existsSync(join(POSTGRES17_BIN, 'postgres'))) throw new Error(`PostgreSQL 17 is missing (${POSTGRES17_BIN}): run \`npm run setup\``);
  return binary;
}

/**
 * openleadr-rs's VTN on its own PostgreSQL 17 (a private cluster), with its internal OAuth provider
 * and the given users (argon2id-hashed credentials, as its user table keeps them).
 */
export async function startOpenleadrVtn(binary: string, users: readonly OpenleadrUser[], options: OpenleadrVtnOptions = {}): Promise<RunningOpenleadrVtn> {
  const cluster = await PostgresCluster.create(mkdtempSync(join(tmpdir(), 'openleadr-pg-')), options.durable ? { fsync: 'on', full_page_writes: 'on' } : {}, POSTGRES17_BIN);
  cluster.start();
  let child: ChildProcess | undefined;
  try {
    const database = await cluster.createDatabase('openleadr');
    const port = await freePort();
    child = spawn(binary, [], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: database, PORT: String(port), OAUTH_TYPE: 'INTERNAL', OAUTH_BASE64_SECRET: randomBytes(32).toString('base64'), OAUTH_TOKEN_URL: `http://127.0.0.1:${port}/auth/token`, RUST_LOG: 'info',
        // Its MQTT needs all three; an anonymous Mosquitto takes any name.
        ...(options.mqttUrl ? { MQTT_URL: options.mqttUrl, MQTT_USERNAME: 'openleadr', MQTT_PASSWORD: 'openleadr', MQTT_TOPIC_PREFIX: options.topicPrefix ?? '' } : {}) },
    });
    // Its log is kept for error messages, bounded.
    let output = '';
    const keep = (c: Buffer): void => { output = (output + c.toString()).slice(-200_000); };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + 30_000;
    while (!/VTN listening/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`openleadr-vtn did not start:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (/Database migration failed/.test(output)) throw new Error(`openleadr-vtn's migrations failed:\n${output.slice(-3000)}`);
    const db = new pg.Client({ connectionString: database });
    await db.connect();
    try {
      const now = new Date().toISOString();
      for (const u of users) {
        await db.query('INSERT INTO "user" (id, reference, description, scopes, created, modified) VALUES ($1, $1, NULL, $2::scope[], $3, $3)', [u.clientId, u.scopes, now]);
        const hash = await argon2id({ password: u.secret, salt: randomBytes(16), parallelism: 1, iterations: 2, memorySize: 19_456, hashLength: 32, outputType: 'encoded' });
        await db.query('INSERT INTO user_credentials (user_id, client_id, client_secret) VALUES ($1, $1, $2)', [u.clientId, hash]);
      }
    } finally {
      await db.end();
    }
    const running = child;
    return {
      url: `http://127.0.0.1:${port}`,
      output: () => output,
      async stop() {
        running.kill('SIGTERM');
        await new Promise((r) => { if (running.exitCode !== null) r(undefined); else running.once('exit', r); });
        cluster.stop('immediate');
        cluster.destroy();
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    if (cluster.running()) cluster.stop('immediate');
    cluster.destroy();
    throw error;
  }
}
