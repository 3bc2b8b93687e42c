import { systemClock } from '../src/clock.js';
import type { VtnHooks } from '../vtn/cli.js';
import { Bridge } from './bridge.js';

/** What `flexbridge vtn` runs beside the VTN when its configuration has an `upstream` section. */
export const bridgeHooks: VtnHooks = {
  singletons(config, vtn, logger) {
    const upstream = config.upstream;
    if (!upstream) return [];
    return [{
      name: 'bridge',
      make: () => new Bridge({ config: upstream, store: vtn.store, operator: vtn.operator, dataDir: config.dataDir, clock: systemClock, logger: logger.child({ component: 'bridge' }) }),
    }];
  },
};
