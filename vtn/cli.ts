import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UvamAdapter } from './uvam/uvam-adapter.js';
import { systemClock } from '../src/clock.js';
import { createLogger, type Logger } from '../src/logger.js';
import { loadVtnConfig, type VtnConfig } from './config.js';
import { createVtn, type Vtn } from './vtn.js';
import { ConfigError } from './errors.js';
import type { Leadership } from './store/leadership.js';
import { SqliteVtnStore } from './store/sqlite-store.js';
import { hashSecret } from './openadr3/auth.js';

/** The UVAM's IEC 104 station, when configured, beside the VTN it feeds. */
function uvamFor(config: VtnConfig, vtn: Vtn): UvamAdapter | undefined {
  const u = config.uvam;
  if (!u) return undefined;
  const pem = (path: string): string => readFileSync(path, 'utf8');
  return new UvamAdapter({
    host: u.host, port: u.port, commonAddress: u.commonAddress, powerIoa: u.powerIoa, setpointIoa: u.setpointIoa, venIds: u.venIds, rId: u.rId,
    programId: u.programId, orderDurationMs: u.orderDurationMs, periodMs: u.periodMs, clock: systemClock, setpointRange: { min: u.setpointMinW, max: u.setpointMaxW },
    logger: createLogger({ level: config.logLevel, base: { component: 'uvam-iec104' } }),
    station: {
      t0Ms: u.t0Ms, backlogLimit: u.backlogLimit, link: { t1Ms: u.t1Ms, t2Ms: u.t2Ms, t3Ms: u.t3Ms },
      ...(u.tls ? { tls: { key: pem(u.tls.key), cert: pem(u.tls.cert), ca: pem(u.tls.ca), ...(u.tls.allowedPeers ? { allowedPeers: u.tls.allowedPeers } : {}) } } : {}),
      ...(u.redundancyGroups ? { redundancyGroups: u.redundancyGroups.map((g) => ({ name: g.name, ...(g.peers ? { peers: g.peers } : {}) })) } : {}),
    },
  }, vtn.store, vtn.operator);
}

export const VTN_USAGE = `usage: flexbridge vtn --config FILE [--workers N] [--anchor FILE]

Runs the VTN: OpenADR 2.0b over HTTPS with mutual TLS, the operator API (JSON, bearer token) and,
when configured, XMPP and a UVAM's IEC 104 station. The config file (JSON, paths relative to it)
needs at least the VTN's TLS material:

  { "oadr": { "port": 8443, "tls": { "pairs": [{ "key": "vtn.key", "cert": "vtn.crt" }], "ca": "ca.crt" } } }

--workers N runs N processes sharing the ports and the store (store.url for PostgreSQL, or the
SQLite file); the UVAM station runs in one of them. --anchor FILE (an anchor configuration, as for
'flexbridge anchor run') runs the anchor in the leading process and lets the DR contract on its
ledger share an upstream utility's setpoints (docs/bridge.md). 'npm run pki' makes a test PKI. Defaults are loopback only; an operator token is generated on
first start (saved in the data directory) unless api.token is set. Every field: docs/vtn.md.
Environment overrides: FLEXBRIDGE_VTN_PORT, FLEXBRIDGE_VTN_API_PORT, FLEXBRIDGE_VTN_API_TOKEN,
FLEXBRIDGE_VTN_DATA_DIR, FLEXBRIDGE_VTN_ID, FLEXBRIDGE_VTN_STORE_URL, FLEXBRIDGE_LOG_LEVEL,
FLEXBRIDGE_UPSTREAM_CLIENT_SECRET, FLEXBRIDGE_UPSTREAM_XMPP_PASSWORD.`;

const OPENADR3_CLIENT_USAGE = `usage: flexbridge vtn openadr3-client --id CLIENT_ID --role bl|ven [--scopes "s1 s2"]

Makes an OpenADR 3 client: prints a new secret once (give it to the client) and the entry for
openadr3.clients in the VTN configuration, which keeps only the secret's scrypt hash.`;

/** `flexbridge vtn openadr3-client`: a client ID with a fresh secret and its hash for the configuration. */
async function makeOpenadr3Client(args: string[]): Promise<number> {
  const value = (name: string): string | undefined => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
  const clientId = value('--id');
  const role = value('--role');
  if (!clientId || !/^[\w.@:-]{1,128}$/.test(clientId) || (role !== 'bl' && role !== 'ven')) {
    console.error(OPENADR3_CLIENT_USAGE);
    return 2;
  }
  const secret = randomBytes(24).toString('base64url');
  const scopes = value('--scopes')?.split(/\s+/).filter(Boolean);
  const entry = { clientId, secretHash: await hashSecret(secret), role, ...(scopes ? { scopes } : {}) };
  console.log(`client_id:     ${clientId}\nclient_secret: ${secret}\n\nadd to openadr3.clients in the VTN configuration:\n${JSON.stringify(entry, null, 2)}`);
  return 0;
}

/** The operator token: configured, or the one saved in the data directory, or a new one (saved 0600). */
function operatorToken(config: VtnConfig): { token: string; file?: string; created: boolean } | undefined {
  if (config.api.token) return { token: config.api.token, created: false };
  if (config.api.insecureNoToken) return undefined;
  const file = join(config.dataDir, 'operator-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file, created: false };
  mkdirSync(config.dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file, created: true };
}

/** What the application adds to a running VTN: singletons it makes from the configuration (none when it has nothing to run). */
export interface VtnHooks {
  singletons?(config: VtnConfig, vtn: Vtn, logger: Logger): { readonly name: string; make(): Singleton }[];
}

/** `flexbridge vtn [--config FILE] [--workers N]`: runs the VTN until SIGINT/SIGTERM. */
export async function runVtn(args: string[], hooks: VtnHooks = {}): Promise<number> {
  if (args[0] === 'openadr3-client') return makeOpenadr3Client(args.slice(1));
  if (args.includes('--help') || args.includes('-h')) {
    console.log(VTN_USAGE);
    return 0;
  }
  const i = args.indexOf('--config');
  if (i < 0 || !args[i + 1]) {
    console.error(VTN_USAGE);
    return 2;
  }
  const w = args.indexOf('--workers');
  const workers = w < 0 ? 1 : Number(args[w + 1]);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    console.error(`--workers takes a whole number of processes from 1 to 64, not ${args[w + 1] ?? 'nothing'}`);
    return 2;
  }
  let config: VtnConfig;
  try {
    config = loadVtnConfig(args[i + 1]);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const token = operatorToken(config);
  if (token) config = { ...config, api: { ...config.api, token: token.token } };
  if (token?.created) console.error(`operator API token (saved in ${token.file}): ${token.token}`);
  if (workers > 1 && cluster.isPrimary) return runPrimary(config, workers);
  const worker = cluster.isWorker ? Number(process.env.FLEXBRIDGE_VTN_WORKER) : undefined;
  const logger = createLogger({ level: config.logLevel, base: { component: 'vtn', vtnId: config.vtnId, ...(worker === undefined ? {} : { worker }) } });
  // On SQLite only one process of the file leads; the primary says which (PostgreSQL elects).
  const store = !config.store.url && cluster.isWorker
    ? new SqliteVtnStore({ path: config.store.path ?? join(config.dataDir, 'vtn.sqlite'), synchronous: config.store.synchronous, leads: process.env.FLEXBRIDGE_VTN_LEADS === '1' })
    : undefined;
  const vtn = createVtn(config, { logger, ...(store ? { store } : {}) });
  const { oadrUrl, apiUrl, openadr3Url } = await vtn.start();
  const uvam = config.uvam
    ? runWhileLeading(vtn.store.lead('uvam'), 'UVAM station', () => uvamFor(config, vtn)!, (_s, port) => process.stdout.write(`${JSON.stringify({ msg: 'UVAM station listening', iec104Port: port, pid: process.pid })}\n`), logger)
    : undefined;
  // Parts the application adds (the bridge to an upstream VTN), each on the leading node.
  const attached = (hooks.singletons?.(config, vtn, logger) ?? []).map(({ name, make }) => runWhileLeading(vtn.store.lead(name), name, make, () => logger.info(`${name} started`), logger));
  vtn.metrics.attachStation(() => uvam?.running()?.station.stats());
  // One machine-readable line whatever the log level, for supervisors and tests.
  process.stdout.write(`${JSON.stringify({ msg: 'VTN listening', oadrUrl, apiUrl, ...(openadr3Url ? { openadr3Url } : {}), ...(worker === undefined ? {} : { worker, pid: process.pid }), ...(token?.file ? { tokenFile: token.file } : {}) })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  for (const part of attached) await part.stop();
  await uvam?.stop();
  await vtn.stop();
  // A worker's channel to its primary would keep it alive after everything else has closed.
  if (cluster.isWorker) process.disconnect?.();
  return 0;
}

/** A part of the VTN process that runs on one node at a time (the UVAM station, the bridge). */
interface Singleton {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * A singleton runs on one node: it starts when this node is elected and stops when it is not
 * (another node takes over when this one dies). `started` says so once it runs.
 */
function runWhileLeading<S extends Singleton>(leadership: Leadership, name: string, make: () => S, started: (s: S, result: unknown) => void, logger: Logger): { running(): S | undefined; stop(): Promise<void> } {
  let running: S | undefined;
  // Start and stop in turn, never overlapping.
  let chain: Promise<void> = Promise.resolve();
  leadership.onChange((leading) => {
    chain = chain.then(async () => {
      if (leading && !running) {
        const made = make();
        running = made;
        started(made, await made.start());
      } else if (!leading && running) {
        const stopping = running;
        running = undefined;
        await stopping.stop();
        logger.warn(`${name} stopped: this node no longer leads`);
      }
    }).catch((error: unknown) => {
      running = undefined;
      logger.error(`${name} failed to start or stop`, { reason: error instanceof Error ? error.message : String(error) });
    });
  });
  return {
    running: () => running,
    async stop() {
      await leadership.resign();
      await chain;
      await running?.stop();
    },
  };
}

/**
 * `--workers N`: N VTN processes (node:cluster) sharing the listening ports and the store. A worker
 * that dies is replaced; on SQLite the primary names the one worker that runs the singletons.
 */
async function runPrimary(config: VtnConfig, workers: number): Promise<number> {
  const logger = createLogger({ level: config.logLevel, base: { component: 'vtn-primary', vtnId: config.vtnId } });
  let leader: number | undefined;
  let stopping = false;
  const fork = (slot: number): void => {
    const leads = !config.store.url && (leader === undefined || leader === slot);
    if (leads) leader = slot;
    const worker = cluster.fork({ FLEXBRIDGE_VTN_WORKER: String(slot), FLEXBRIDGE_VTN_LEADS: leads ? '1' : '0' });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      logger.warn('VTN worker died; starting another', { worker: slot, code, signal });
      setTimeout(() => { if (!stopping) fork(slot); }, 1_000);
    });
  };
  for (let slot = 0; slot < workers; slot++) fork(slot);
  logger.info('VTN workers started', { workers, store: config.store.url ? 'postgres' : 'sqlite' });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopping = true;
  const all = Object.values(cluster.workers ?? {}).filter((x) => x !== undefined);
  await Promise.all(all.map((x) => new Promise<void>((resolve) => { x.once('exit', () => resolve()); x.kill('SIGTERM'); })));
  return 0;
}
