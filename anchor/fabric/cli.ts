import { parseArgs } from 'node:util';
import { FabricNetwork, type Consensus } from './network.js';

export const FABRIC_USAGE = `usage: flexbridge fabric up|down|status|env [options]

A local Hyperledger Fabric network started natively (no Docker), every port on 127.0.0.1: the
system operator and a retailer (one peer each, LevelDB, TLS), three Raft orderers (or four
SmartBFT with --consensus bft) joined through the channel participation API, one channel, and the
DR contract as chaincode-as-a-service needing both organisations' endorsement.

  up      [--dir D] [--consensus raft|bft] [--base-port P] [--batch-timeout 250ms] [--max-messages 100]
          starts what is not running (idempotent) and reports readiness
  down    [--dir D] [--purge]   stops every process it started (--purge: deletes the directory)
  status  [--dir D]             each process and whether it runs
  env     [--dir D] --org operator|retailer
          export lines for Fabric's own CLI, e.g.
          eval "$(flexbridge fabric env --org operator)"; peer channel getinfo -c flexbridge

The binaries come from 'npm run setup' (FLEXBRIDGE_FABRIC_BIN or a source tarball). --dir
defaults to .flexbridge/fabric.`;

/** `flexbridge fabric up|down|status|env`. */
export async function runFabric(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h') {
    console.log(FABRIC_USAGE);
    return 0;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: {
      dir: { type: 'string', default: '.flexbridge/fabric' }, consensus: { type: 'string' }, 'base-port': { type: 'string' },
      'batch-timeout': { type: 'string' }, 'max-messages': { type: 'string' }, org: { type: 'string' }, purge: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${FABRIC_USAGE}`);
    return 2;
  }
  if (values.help || !command || !['up', 'down', 'status', 'env'].includes(command)) {
    (values.help ? console.log : console.error)(FABRIC_USAGE);
    return values.help ? 0 : 2;
  }
  const consensus = values.consensus as Consensus | undefined;
  if (consensus !== undefined && consensus !== 'raft' && consensus !== 'bft') {
    console.error('--consensus is raft or bft');
    return 2;
  }
  const network = new FabricNetwork({
    dir: String(values.dir), ...(consensus ? { consensus } : {}),
    ...(values['base-port'] ? { basePort: Number(values['base-port']) } : {}),
    ...(values['batch-timeout'] ? { batchTimeout: String(values['batch-timeout']) } : {}),
    ...(values['max-messages'] ? { maxMessageCount: Number(values['max-messages']) } : {}),
    progress: (line) => console.error(`fabric: ${line}`),
  });
  if (command === 'up') {
    const started = Date.now();
    await network.up();
    console.log(JSON.stringify({ msg: 'fabric ready', dir: network.dir, channel: network.channel, chaincode: network.chaincode, consensus: network.consensus, tookMs: Date.now() - started }));
    return 0;
  }
  if (command === 'down') {
    await network.down({ purge: Boolean(values.purge) });
    console.error(`fabric: stopped${values.purge ? ` and deleted ${network.dir}` : ''}`);
    return 0;
  }
  if (command === 'status') {
    const status = network.status();
    console.log(`${status.ready ? 'ready' : 'not ready'} (${status.consensus})`);
    for (const p of status.processes) console.log(`  ${p.name.padEnd(16)} pid ${String(p.pid).padEnd(8)} ${p.running ? 'running' : 'STOPPED'}  ${p.log}`);
    return status.ready ? 0 : 1;
  }
  const org = values.org;
  if (org !== 'operator' && org !== 'retailer') {
    console.error('env needs --org operator|retailer');
    return 2;
  }
  console.log(network.envLines(org).join('\n'));
  return 0;
}
