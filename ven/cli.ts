import { readFileSync } from 'node:fs';
import { createLogger } from '../src/logger.js';
import { loadVenConfig, optFor } from './config.js';
import { VenStore } from './store/ven-store.js';
import { Ven } from './ven.js';

/** `flexbridge ven --config FILE`: runs a VEN until SIGINT/SIGTERM, logging events and decisions. */
export async function runVen(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(VEN_USAGE);
    return 0;
  }
  const i = args.indexOf('--config');
  if (i < 0 || !args[i + 1]) {
    console.error(VEN_USAGE);
    return 2;
  }
  let config;
  try {
    config = loadVenConfig(args[i + 1]!);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const logger = createLogger({ level: config.logLevel, base: { component: 'ven', venName: config.venName } });
  const tls = config.tls ? { key: readFileSync(config.tls.key, 'utf8'), cert: readFileSync(config.tls.cert, 'utf8'), ca: readFileSync(config.tls.ca, 'utf8') } : undefined;
  const store = new VenStore(config.store);
  const ven = new Ven({
    vtnUrl: config.vtnUrl, venName: config.venName, store, logger,
    ...(tls ? { tls } : {}),
    ...(config.xmpp ? { xmpp: { vtnJid: config.xmpp.vtnJid, account: { service: config.xmpp.service, domain: config.xmpp.domain, username: config.xmpp.username, password: config.xmpp.password, resource: config.xmpp.resource, ca: readFileSync(config.xmpp.ca, 'utf8') } } } : {}),
    ...(tls && config.signPayloads ? { signing: { privateKeyPem: tls.key, certificatePem: tls.cert } } : {}),
    usage: config.usage.map((u) => ({ rId: u.rId, resourceId: u.resourceId, read: () => (u.file ? Number(readFileSync(u.file, 'utf8').trim()) : u.constantW!) })),
    status: config.status.map((p) => ({ rId: p.rId, resourceId: p.resourceId, read: () => ({ online: true, manualOverride: false }) })),
    samplingMinPeriodMs: config.samplingMinPeriodMs,
    ...(config.venId ? { venId: config.venId } : {}),
    ...(config.push ? { push: config.push } : {}),
    handlers: {
      onEvent: (e) => {
        const decision = optFor(config, { eventId: e.eventId, marketContext: e.marketContext, signalNames: e.raw.signals.map((s) => s.signalName) });
        logger.info('event', { eventId: e.eventId, modificationNumber: e.modificationNumber, status: e.status, decision, intervals: e.intervals.length });
        return decision;
      },
      onEventRemoved: (eventId) => logger.info('event removed', { eventId }),
    },
  });
  let stopping = false;
  const stopped = new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); }).then(() => { stopping = true; });
  // A VTN that is not up yet (or answers 500) is waited for, as when it goes away later.
  for (let attempt = 0; ; attempt++) {
    try {
      await ven.start();
      break;
    } catch (error) {
      await ven.stop();
      const retryInMs = Math.min(60_000, 1_000 * 2 ** Math.min(attempt, 6));
      logger.warn('VTN not reachable or refusing at start; retrying', { attempt: attempt + 1, retryInMs, reason: (error as Error).message });
      await Promise.race([new Promise((r) => setTimeout(r, retryInMs)), stopped]);
      if (stopping) { store.close(); return 0; }
    }
  }
  // Runs from a timer: a store that fails is logged, never thrown out of the process.
  const status = (): void => {
    try {
      process.stdout.write(`${JSON.stringify({ msg: 'VEN status', ...ven.status() })}\n`);
    } catch (error) {
      logger.error('VEN status not read', { reason: (error as Error).message });
    }
  };
  process.stdout.write(`${JSON.stringify({ msg: 'VEN running', venId: ven.venId, ...ven.status() })}\n`);
  const statusTimer = config.statusEveryMs > 0 ? setInterval(status, config.statusEveryMs) : undefined;
  await stopped;
  clearInterval(statusTimer);
  await ven.stop();
  store.close();
  return 0;
}

export const VEN_USAGE = `usage: flexbridge ven --config FILE

Runs an OpenADR 2.0b VEN: registers with the VTN (waiting for it if it is not up), polls or takes
pushes, answers events by its opt rules, and reports telemetry. The config file (JSON, paths
relative to it) needs the VTN's URL and this VEN's certificate:

  { "vtnUrl": "https://vtn.example:8443/OpenADR2/Simple/2.0b", "venName": "site-1",
    "tls": { "key": "ven.key", "cert": "ven.crt", "ca": "ca.crt" },
    "usage": [{ "rId": "power", "resourceId": "meter-1", "file": "power.txt" }],
    "optRules": [{ "eventId": "test-.*", "opt": "optOut" }], "defaultOpt": "optIn" }

It prints one JSON status line at start and every statusEveryMs (state, queued and set-aside
reports). Against OpenLEADR's VTN set "signPayloads": true (it requires XML signatures by
default). Every field: docs/ven.md.`;
