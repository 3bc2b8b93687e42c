import { readFileSync } from 'node:fs';
import { createLogger } from '../src/logger.js';
import { loadVenConfig } from './config.js';
import { VenStore } from './store/ven-store.js';
import { Ven } from './ven.js';

/** `flexbridge ven --config FILE`: runs a VEN until SIGINT/SIGTERM, logging events and decisions. */
export async function runVen(args: string[]): Promise<number> {
  const i = args.indexOf('--config');
  if (i < 0 || !args[i + 1]) {
    console.error('usage: flexbridge ven --config ven.json');
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
        logger.info('event', { eventId: e.eventId, modificationNumber: e.modificationNumber, status: e.status, decision: config.defaultOpt, intervals: e.intervals.length });
        return config.defaultOpt;
      },
      onEventRemoved: (eventId) => logger.info('event removed', { eventId }),
      onRegistered: (r) => logger.info('registered', r),
    },
  });
  await ven.start();
  process.stdout.write(`${JSON.stringify({ msg: 'VEN running', venId: ven.venId })}\n`);
  await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  await ven.stop();
  store.close();
  return 0;
}
