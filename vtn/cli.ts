import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UvamAdapter } from './uvam/uvam-adapter.js';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { loadVtnConfig, type VtnConfig } from './config.js';
import { createVtn, type Vtn } from './vtn.js';
import { ConfigError } from './errors.js';

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

export const VTN_USAGE = `usage: flexbridge vtn --config FILE

Runs the VTN: OpenADR 2.0b over HTTPS with mutual TLS, the operator API (JSON, bearer token) and,
when configured, XMPP and a UVAM's IEC 104 station. The config file (JSON, paths relative to it)
needs at least the VTN's TLS material:

  { "oadr": { "port": 8443, "tls": { "pairs": [{ "key": "vtn.key", "cert": "vtn.crt" }], "ca": "ca.crt" } } }

'npm run pki' makes a test PKI. Defaults are loopback only; an operator token is generated on
first start (saved in the data directory) unless api.token is set. Every field: docs/vtn.md.
Environment overrides: FLEXBRIDGE_VTN_PORT, FLEXBRIDGE_VTN_API_PORT, FLEXBRIDGE_VTN_API_TOKEN,
FLEXBRIDGE_VTN_DATA_DIR, FLEXBRIDGE_VTN_ID, FLEXBRIDGE_LOG_LEVEL.`;

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

/** `flexbridge vtn [--config FILE]`: runs the VTN until SIGINT/SIGTERM. */
export async function runVtn(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(VTN_USAGE);
    return 0;
  }
  const i = args.indexOf('--config');
  if (i < 0 || !args[i + 1]) {
    console.error(VTN_USAGE);
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
  const vtn = createVtn(config);
  const { oadrUrl, apiUrl } = await vtn.start();
  const uvam = uvamFor(config, vtn);
  const iec104Port = uvam ? await uvam.start() : undefined;
  // One machine-readable line whatever the log level, for supervisors and tests.
  process.stdout.write(`${JSON.stringify({ msg: 'VTN listening', oadrUrl, apiUrl, ...(iec104Port === undefined ? {} : { iec104Port }), ...(token?.file ? { tokenFile: token.file } : {}) })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await uvam?.stop();
  await vtn.stop();
  return 0;
}
