import { Bridge } from '../bridge/bridge.js';
import { bridgeHooks } from '../bridge/vtn-hooks.js';
import { AnchorConfigError, AnchorService, AnchorStore, contractAllocator, EmbeddedLedger, embeddedLedgerView, httpFeedSource, loadAnchorConfig, openBackend, type AnchorConfig } from '../anchor/index.js';
import { systemClock } from '../src/clock.js';
import type { Logger } from '../src/logger.js';
import type { VtnHooks } from '../vtn/cli.js';
import type { Vtn, VtnConfig } from '../vtn/index.js';

/**
 * `flexbridge vtn --anchor FILE`: the anchor runs inside the VTN process, on its leading node, and
 * the DR contract on that ledger shares an upstream utility's setpoints among the fleet (the bridge's
 * allocator). One process writes the ledger, so `flexbridge anchor run` must not run beside it on
 * the same embedded ledger. Without `--anchor` the bridge shares by present power.
 */
export function vtnHooks(args: string[]): VtnHooks {
  const at = args.indexOf('--anchor');
  if (at < 0) return bridgeHooks;
  const path = args[at + 1];
  if (!path || path.startsWith('--')) throw new AnchorConfigError('--anchor takes the anchor\'s configuration file (as for `flexbridge anchor run`)');
  const anchorConfig = loadAnchorConfig(path);
  return {
    singletons(config, vtn, logger) {
      // Anchor and bridge lead together: the bridge's allocator is the anchor's ledger.
      return [{ name: 'anchor', make: () => new AnchoredParts(config, vtn, anchorConfig, logger) }];
    },
  };
}

/** The anchor service and, with an upstream section, the bridge allocating by the contract. */
class AnchoredParts {
  private readonly stops: (() => Promise<void> | void)[] = [];

  constructor(private readonly config: VtnConfig, private readonly vtn: Vtn, private readonly anchorConfig: AnchorConfig, private readonly logger: Logger) {}

  async start(): Promise<void> {
    const { config, vtn, anchorConfig, logger } = this;
    if (config.api.port === 0) throw new AnchorConfigError('--anchor reads this VTN\'s feed from its operator API: give api.port a fixed port');
    try {
      const backend = openBackend(anchorConfig.ledger, anchorConfig.identities);
      this.stops.push(() => backend.close());
      const store = new AnchorStore(anchorConfig.store);
      this.stops.push(() => store.close());
      const host = ['0.0.0.0', '::', ''].includes(config.api.host) ? '127.0.0.1' : config.api.host;
      const anchor = new AnchorService({
        source: httpFeedSource(`http://${host.includes(':') ? `[${host}]` : host}:${config.api.port}`, config.api.token), ledger: backend.ledger, store, clock: systemClock,
        logger: logger.child({ component: 'anchor' }), identities: backend.identities, meters: anchorConfig.meters, timeZone: anchorConfig.timeZone, deliveryConcurrency: backend.deliveryConcurrency,
      });
      anchor.start();
      this.stops.push(() => anchor.stop());
      if (backend.ledger instanceof EmbeddedLedger) vtn.attachLedgerView(embeddedLedgerView(backend.ledger, backend.identities.operator, store, anchorConfig.timeZone));
      vtn.metrics.attachAnchor(async () => ({ ...anchor.backlog(), ledgerHeight: await backend.height() }));
      logger.info('anchor started in the VTN process', { ledger: anchorConfig.ledger.kind });
      if (config.upstream) {
        const meters = Object.fromEntries(Object.entries(anchorConfig.meters).map(([venId, m]) => [venId, m.meterId]));
        const bridge = new Bridge({
          config: config.upstream, store: vtn.store, operator: vtn.operator, dataDir: config.dataDir, clock: systemClock, logger: logger.child({ component: 'bridge' }),
          allocator: contractAllocator({ ledger: backend.ledger, operator: backend.identities.operator, meters, timeZone: anchorConfig.timeZone }),
        });
        await bridge.start();
        this.stops.push(() => bridge.stop());
        logger.info('bridge started, allocating by the DR contract', { meters: Object.keys(meters).length });
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    for (const done of this.stops.splice(0).reverse()) await done();
  }
}
