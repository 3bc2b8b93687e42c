import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { ATTRIBUTE } from './chaincode/records.js';
import { EmbeddedLedger } from './ledger/embedded-ledger.js';
import { AnchorService } from './service/anchor-service.js';
import { AnchorStore } from './service/anchor-store.js';
import { httpFeedSource } from './service/vtn-feed-client.js';
import { fabricGatewayConfigSchema, fabricLocalConfigSchema, openFabricLedger } from './fabric/fabric-config.js';
import { isTimeZone } from '../src/local-day.js';
import { AnchorConfigError } from './errors.js';

const identity = z.object({ id: z.string(), mspId: z.string(), attributes: z.record(z.string(), z.string()) });

export const anchorConfigSchema = z.object({
  vtnApiUrl: z.string().url().default('http://127.0.0.1:8080'),
  vtnApiToken: z.string().optional(),
  store: z.string().default('.flexbridge/anchor/anchor.sqlite'),
  /** The embedded ledger (the default), an existing Fabric network, or one of 'flexbridge fabric up'. */
  ledger: z.union([
    z.object({ kind: z.literal('embedded').default('embedded'), path: z.string().default('.flexbridge/anchor/ledger.sqlite'), nodeKey: z.string(), nodeCert: z.string() }),
    fabricGatewayConfigSchema,
    fabricLocalConfigSchema,
  ]),
  identities: z.object({
    operator: identity.default({ id: 'x509::CN=flexbridge-operator', mspId: 'SystemOperatorMSP', attributes: { [ATTRIBUTE.role]: 'operator' } }),
    retailer: identity.default({ id: 'x509::CN=flexbridge-retailer', mspId: 'RetailerMSP', attributes: { [ATTRIBUTE.role]: 'retailer', [ATTRIBUTE.retailerId]: 'retailer-1' } }),
  }).prefault({}),
  /** venID → meter (and the rID of its power readings). */
  meters: z.record(z.string(), z.object({ meterId: z.string(), rId: z.string().optional(), scale: z.number().positive().finite().optional() })).default({}),
  /** The program's IANA time zone: meter-days are its local days (docs/dr-contract.md, local days). */
  timeZone: z.string().default('UTC').refine(isTimeZone, 'not an IANA time zone'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type AnchorConfig = z.infer<typeof anchorConfigSchema>;

/** Reads and checks an anchor configuration file; every problem in one ConfigError line. */
export function loadAnchorConfig(path: string): AnchorConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AnchorConfigError(`cannot read anchor config ${path}: ${(error as Error).message}`);
  }
  const parsed = anchorConfigSchema.safeParse(raw);
  if (!parsed.success) throw new AnchorConfigError(`invalid anchor config ${path}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  return parsed.data;
}

/** The configured ledger, the identities the anchor acts as on it, and how to read its height and close it. */
export function openBackend(ledger: AnchorConfig['ledger'], configured: AnchorConfig['identities']) {
  if (ledger.kind === 'embedded') {
    const embedded = new EmbeddedLedger({ path: ledger.path, node: { privateKeyPem: readFileSync(ledger.nodeKey, 'utf8'), certificatePem: readFileSync(ledger.nodeCert, 'utf8') }, clock: systemClock });
    return { ledger: embedded, identities: configured, deliveryConcurrency: 1, height: async () => embedded.height(), close: () => embedded.close() };
  }
  const { ledger: fabric, identities: issued } = openFabricLedger(ledger);
  const identities = issued ?? configured;
  return { ledger: fabric, identities, deliveryConcurrency: ledger.deliveryConcurrency, height: () => fabric.height(identities.operator), close: () => fabric.close() };
}

/** `flexbridge anchor run --config FILE`: follows the VTN feed onto the configured ledger, showing its backlog. */
export async function runAnchorService(args: string[]): Promise<number> {
  const i = args.indexOf('--config');
  if (i < 0 || !args[i + 1]) {
    console.error('usage: flexbridge anchor run --config anchor.json');
    return 2;
  }
  let config: AnchorConfig;
  try {
    config = loadAnchorConfig(args[i + 1]!);
  } catch (error) {
    if (!(error instanceof AnchorConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  const logger = createLogger({ level: config.logLevel, base: { component: 'anchor' } });
  const store = new AnchorStore(config.store);
  const backend = openBackend(config.ledger, config.identities);
  const anchor = new AnchorService({
    source: httpFeedSource(config.vtnApiUrl, config.vtnApiToken), ledger: backend.ledger, store, clock: systemClock, logger,
    identities: backend.identities, meters: config.meters, timeZone: config.timeZone, deliveryConcurrency: backend.deliveryConcurrency,
  });
  const { height, close } = backend;
  anchor.start();
  logger.info('anchoring', { ledger: config.ledger.kind, vtn: config.vtnApiUrl });
  const show = setInterval(() => {
    height().then((ledgerHeight) => logger.info('backlog', { ...anchor.backlog(), ledgerHeight }), (error: unknown) => logger.warn('ledger unreachable', { reason: (error as Error).message ?? String(error) }));
  }, 5_000);
  await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  clearInterval(show);
  await anchor.stop();
  store.close();
  close();
  return 0;
}
