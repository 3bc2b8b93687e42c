import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { argon2id } from 'hash-wasm';
import pg from 'pg';
import { freePort } from '../../src/free-port.js';
import { PostgresCluster } from './postgres.js';
import { openleadrClientDriverPath } from '../../scripts/openleadr-rs.mjs';

export const OPENLEADR_VTN_VERSION = '0.2.8';
const POSTGRES17 = join(process.env.FLEXBRIDGE_SHARED_CACHE ?? '/var/cache/flexbridge', 'postgres-17.11.0', 'bin');

/** Our driver of openleadr-rs's client library, built by `npm run setup`; a missing one fails the test saying so. */
export function openleadrClientDriverBinary(): string {
  const binary = openleadrClientDriverPath();
  if (!existsSync(binary)) throw new Error(`the openleadr-client driver is not built (${binary} missing): run \`npm run setup\` (needs cargo)`);
  return binary;
}

/** openleadr-rs's VTN binary, built by `npm run setup`; a missing one fails the test saying so. */
export function openleadrVtnBinary(): string {
  const cache = process.env.FLEXBRIDGE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'flexbridge');
  const binary = join(cache, 'openleadr-rs', OPENLEADR_VTN_VERSION, 'bin', 'openleadr-vtn');
  if (!existsSync(binary)) throw new Error(`openleadr-vtn ${OPENLEADR_VTN_VERSION} is not built (${binary} missing): run \`npm run setup\` (needs cargo)`);
  if (!existsSync(join(POSTGRES17, 'postgres'))) throw new Error(`PostgreSQL 17 is missing (${POSTGRES17}): run \`npm run setup\``);
  return binary;
}

export interface OpenleadrUser { readonly clientId: string; readonly secret: string; readonly scopes: readonly string[] }

/** Scopes openleadr-rs gives business logic and VENs (it splits write_vens, write_reports and write_subscriptions by role). */
export const OPENLEADR_BL_SCOPES = ['read_all', 'write_vens_bl', 'write_programs', 'write_events', 'write_users', 'write_subscriptions_bl', 'write_reports_bl'];
export const OPENLEADR_VEN_SCOPES = ['read_targets', 'read_ven_objects', 'write_reports_ven', 'write_subscriptions_ven', 'write_vens_ven'];

export interface RunningOpenleadrVtn {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * openleadr-rs's VTN on its own PostgreSQL 17 (a private cluster), with its internal OAuth provider
 * and the given users (argon2id-hashed credentials, as its user table keeps them).
 */
export async function startOpenleadrVtn(users: readonly OpenleadrUser[], options: { mqttUrl?: string; topicPrefix?: string; /** fsync on (benchmarks): the tests' clusters run without. */ durable?: boolean } = {}): Promise<RunningOpenleadrVtn> {
  const binary = openleadrVtnBinary();
  const cluster = await PostgresCluster.create(mkdtempSync(join(tmpdir(), 'openleadr-pg-')), options.durable ? { fsync: 'on', full_page_writes: 'on' } : {}, POSTGRES17);
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
    let output = '';
    child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
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
