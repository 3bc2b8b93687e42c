import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { ATTRIBUTE } from './chaincode/records.js';
import { EmbeddedLedger } from './ledger/embedded-ledger.js';
import { AnchorService } from './service/anchor-service.js';
import { AnchorStore } from './service/anchor-store.js';
import { httpFeedSource } from './service/vtn-feed-client.js';

const identity = z.object({ id: z.string(), mspId: z.string(), attributes: z.record(z.string(), z.string()) });

export const anchorConfigSchema = z.object({
  vtnApiUrl: z.string().url().default('http://127.0.0.1:8080'),
  vtnApiToken: z.string().optional(),
  store: z.string().default('.flexbridge/anchor/anchor.sqlite'),
  ledger: z.object({ path: z.string().default('.flexbridge/anchor/ledger.sqlite'), nodeKey: z.string(), nodeCert: z.string() }),
  identities: z.object({
    operator: identity.default({ id: 'x509::CN=flexbridge-operator', mspId: 'SystemOperatorMSP', attributes: { [ATTRIBUTE.role]: 'operator' } }),
    retailer: identity.default({ id: 'x509::CN=flexbridge-retailer', mspId: 'RetailerMSP', attributes: { [ATTRIBUTE.role]: 'retailer', [ATTRIBUTE.retailerId]: 'retailer-1' } }),
  }).prefault({}),
  /** venID → meter (and the rID of its power readings). */
  meters: z.record(z.string(), z.object({ meterId: z.string(), rId: z.string().optional() })).default({}),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

/** `flexbridge anchor run --config FILE`: follows the VTN feed onto the embedded ledger, showing its backlog. */
export async function runAnchorService(args: string[]): Promise<number> {
  const i = args.indexOf('--config');
  if (i < 0 || !args[i + 1]) {
    console.error('usage: flexbridge anchor run --config anchor.json');
    return 2;
  }
  const parsed = anchorConfigSchema.safeParse(JSON.parse(readFileSync(args[i + 1]!, 'utf8')));
  if (!parsed.success) {
    console.error(`invalid anchor config: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return 2;
  }
  const config = parsed.data;
  const logger = createLogger({ level: config.logLevel, base: { component: 'anchor' } });
  const ledger = new EmbeddedLedger({ path: config.ledger.path, node: { privateKeyPem: readFileSync(config.ledger.nodeKey, 'utf8'), certificatePem: readFileSync(config.ledger.nodeCert, 'utf8') }, clock: systemClock });
  const store = new AnchorStore(config.store);
  const anchor = new AnchorService({ source: httpFeedSource(config.vtnApiUrl, config.vtnApiToken), ledger, store, clock: systemClock, logger, identities: config.identities, meters: config.meters });
  anchor.start();
  const show = setInterval(() => logger.info('backlog', { ...anchor.backlog(), ledgerHeight: ledger.height() }), 5_000);
  await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  clearInterval(show);
  await anchor.stop();
  store.close();
  ledger.close();
  return 0;
}
