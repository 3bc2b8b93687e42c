import { readFileSync } from 'node:fs';
import { UvamAdapter } from '../iec104/uvam/uvam-adapter.js';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { ConfigError, loadVtnConfig, type VtnConfig } from './config.js';
import { createVtn, type Vtn } from './vtn.js';

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

/** `flexbridge vtn [--config FILE]`: runs the VTN until SIGINT/SIGTERM. */
export async function runVtn(args: string[]): Promise<number> {
  const i = args.indexOf('--config');
  let config;
  try {
    config = loadVtnConfig(i >= 0 ? args[i + 1] : undefined);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const vtn = createVtn(config);
  const { oadrUrl, apiUrl } = await vtn.start();
  const uvam = uvamFor(config, vtn);
  const iec104Port = uvam ? await uvam.start() : undefined;
  // One machine-readable line whatever the log level, for supervisors and tests.
  process.stdout.write(`${JSON.stringify({ msg: 'VTN listening', oadrUrl, apiUrl, ...(iec104Port === undefined ? {} : { iec104Port }) })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await uvam?.stop();
  await vtn.stop();
  return 0;
}
