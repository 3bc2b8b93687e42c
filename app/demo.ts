import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createVtn, vtnConfigSchema } from '../vtn/index.js';
import { silentLogger } from '../src/logger.js';
import { openTestPki } from '../src/pki.js';
import type { AllocationRecord, SettlementRecord } from '../anchor/index.js';
import { runDemoDay, type DemoDayOutcome } from './demo-day.js';

const DAY_MS = 86_400_000;

function sparkline(values: readonly number[], max: number): string {
  const bars = '▁▂▃▄▅▆▇█';
  return values.map((v) => bars[Math.max(0, Math.min(7, Math.round((v / max) * 7)))]).join('');
}

export interface DemoOptions {
  readonly households: number;
  /** Where the contract runs: the embedded ledger (default) or a local Fabric network it brings up and down. */
  readonly ledger?: 'embedded' | 'fabric';
  /** First port of the demo's Fabric network (default 7050). */
  readonly fabricBasePort?: number;
  /** Port of the operator API and dashboard (0: any free port). */
  readonly apiPort?: number;
  /** The bridge too: openleadr-rs's 3.1 VTN as the utility (docs/bridge.md). */
  readonly upstream?: boolean;
}

export interface DemoRun {
  /** 0 when the day ran through and the ledger verified. */
  readonly code: number;
  readonly apiUrl: string;
  readonly dashboardUrl: string;
  readonly iec104Port: number;
  stop(): Promise<void>;
}

/**
 * `npm start`: seed 002's experiment on embedded defaults — a VTN with mutual TLS, simulated
 * households as VENs, the anchor on the embedded ledger: 35 days of telemetry, a DR event
 * 07:00–19:00 allocated by the contract and sent as per-VEN OpenADR events, households that
 * comply and households that do not, the event day anchored and settled in tokens. The dashboard
 * shows it all; the UVAM's IEC 104 station reports the households' aggregate power.
 */
export async function runDemo(args: string[]): Promise<number> {
  const households = Math.max(2, Number(args[args.indexOf('--households') + 1] ?? 2) || 2);
  const ledgerArg = args.indexOf('--ledger') >= 0 ? args[args.indexOf('--ledger') + 1] : 'embedded';
  if (ledgerArg !== 'embedded' && ledgerArg !== 'fabric') {
    console.error('--ledger is embedded or fabric');
    return 2;
  }
  const portArg = args.indexOf('--port');
  // Serve the dashboard until Ctrl-C when a person is watching; scripts and CI get an exit.
  const serve = args.includes('--serve') || (!args.includes('--exit') && process.stdout.isTTY === true);
  const run = await startDemo({ households, ledger: ledgerArg, upstream: args.includes('--upstream'), apiPort: portArg >= 0 ? Number(args[portArg + 1]) : serve ? 8080 : 0 });
  if (serve) {
    console.log(`\nDashboard: ${run.dashboardUrl} — Ctrl-C to stop`);
    await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  } else {
    console.log(`\nDashboard (while the demo runs; npm start -- --serve keeps it up): ${run.dashboardUrl}`);
  }
  await run.stop();
  return run.code;
}

export async function startDemo(options: DemoOptions): Promise<DemoRun> {
  const households = options.households;
  const work = resolve('.flexbridge', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(work, { recursive: true });
  const step = (text: string): void => { process.stdout.write(`• ${text}\n`); };
  console.log(`FlexBridge demo — seed 002's DR day with ${households} households (data in ${work})\n`);

  step('test PKI (openssl): a CA, the VTN, one certificate per household VEN');
  const pki = openTestPki(resolve('.flexbridge', 'pki'));
  const vtnRsa = pki.issue('vtn', 'rsa');
  const vtnEc = pki.issue('vtn', 'ecdsa');
  const node = pki.issue('ledger-node', 'ecdsa');
  const vtnConfig = (apiPort: number) => vtnConfigSchema.parse({
    dataDir: join(work, 'vtn'), logLevel: 'warn',
    oadr: { host: '127.0.0.1', port: 0, tls: { pairs: [{ key: vtnRsa.keyPath, cert: vtnRsa.certPath }, { key: vtnEc.keyPath, cert: vtnEc.certPath }], ca: pki.caPath } },
    api: { host: '127.0.0.1', port: apiPort },
    policy: { telemetryGranularityMs: 900_000, telemetryReportBackMs: DAY_MS },
  });
  let vtn = createVtn(vtnConfig(options.apiPort ?? 0), { logger: silentLogger });
  let started;
  try {
    started = await vtn.start();
  } catch (error) {
    // The preferred dashboard port is taken: any free one will do.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await vtn.stop().catch(() => undefined);
    vtn = createVtn(vtnConfig(0), { logger: silentLogger });
    started = await vtn.start();
  }
  const { oadrUrl, apiUrl } = started;
  const cleanup: (() => Promise<void> | void)[] = [() => vtn.stop()];
  const stop = async (): Promise<void> => {
    for (const done of cleanup.reverse()) await done();
    cleanup.length = 0;
  };
  try {
    const { code, iec104Port } = await runDay();
    return { code, apiUrl, dashboardUrl: `${apiUrl}/dashboard`, iec104Port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
  async function runDay(): Promise<{ code: number; iec104Port: number }> {
    const outcome = await runDemoDay({
      households, ledger: options.ledger ?? 'embedded', upstream: options.upstream === true, ...(options.fabricBasePort ? { fabricBasePort: options.fabricBasePort } : {}),
      work, pki, node, vtn, oadrUrl, apiUrl, onStop: (done) => { cleanup.push(done); }, report: step,
      progress: (sent, days) => {
        if (process.stdout.isTTY) process.stdout.write(`\r  ${days} days of quarter-hour telemetry: ${sent}/${days} days sent${sent === days ? '\n' : ''}`);
        else if (sent === days) process.stdout.write(`  ${days} days of quarter-hour telemetry sent\n`);
      },
    });
    printOutcome(outcome, options, work, node.certPath);
    return { code: outcome.ok ? 0 : 1, iec104Port: outcome.iec104Port };
  }
}

/** The day's table, the first household's plot, and the commands that check the ledger. */
function printOutcome(outcome: DemoDayOutcome, options: DemoOptions, work: string, nodeCertPath: string): void {
  const { allocations, settlements, event } = outcome;
  const vens = outcome.households;
  const node = { certPath: nodeCertPath };
  console.log('\nhousehold      opt     baseline W  target W  measured W  delivered  on target  reward (tokens)');
  const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  for (const v of vens) {
    const a = allocations.find((x: AllocationRecord) => x.meterId === v.meterId)!;
    const s = settlements.find((x: SettlementRecord) => x.meterId === v.meterId)!;
    console.log(`${v.name.padEnd(14)} ${(v.complies ? 'optIn' : 'optOut').padEnd(7)} ${mean(a.baseline.slice(event.start, event.end)).toFixed(0).padStart(10)} ${mean(a.target.slice(event.start, event.end)).toFixed(0).padStart(9)} ${mean(s.measured.slice(event.start, event.end)).toFixed(0).padStart(11)} ${`${(s.performance * 100).toFixed(0)} %`.padStart(10)} ${`${s.compliantIntervals}/${s.eventIntervals}`.padStart(10)} ${s.reward.toFixed(2).padStart(16)}`);
  }
  const first = allocations.find((x) => x.meterId === vens[0]!.meterId)!;
  const firstSettlement = settlements.find((x) => x.meterId === vens[0]!.meterId)!;
  const max = Math.max(...first.baseline, ...firstSettlement.measured);
  console.log(`\n${vens[0]!.name}, the event day ${event.date} (local time ${event.timeZone ?? 'UTC'}, 00:00–24:00, ${event.intervals} quarter-hours; event 07:00–19:00):`);
  console.log(`  baseline  ${sparkline(first.baseline, max)}`);
  console.log(`  target    ${sparkline(first.target, max)}`);
  console.log(`  measured  ${sparkline(firstSettlement.measured, max)}`);
  const up = outcome.upstream;
  if (up) {
    console.log(`\nThe bridge: openleadr-rs at ${up.utilityUrl} as the utility, FlexBridge its VEN:`);
    console.log(`  utility event ${up.upstreamEventId}: hold ${up.setpointW} W → grid order ${up.gridOrderId}, opt ${up.opt} upstream`);
    console.log(`  shared by ${up.allocatedBy}:`);
    const most = Math.max(...up.shares.map((s) => s.targetW));
    for (const s of up.shares) console.log(`    ${s.name.padEnd(14)} ${`${s.targetW.toFixed(0)} W`.padStart(8)} ${'█'.repeat(Math.max(1, Math.round((s.targetW / most) * 30)))}  event ${s.eventId}${s.received ? ', received by its VEN' : ', NOT received'}`);
    console.log(`  reported to the utility: DEMAND ${up.reportedKw.map((kw) => `${kw} kW`).join(', ')}`);
    if (options.ledger !== 'fabric') console.log(`  prove the request on the ledger: node dist/cli.js anchor proof --ledger ${join(work, 'ledger.sqlite')} --node-cert ${nodeCertPath} gridOrder ${up.gridOrderId}`);
  }
  if (options.ledger === 'fabric') {
    console.log(`\nThe Fabric network runs while the demo serves; query it with Fabric's own CLI:`);
    console.log(`  eval "$(node dist/cli.js fabric env --dir ${join(work, 'fabric')} --org operator)"; peer channel getinfo -c flexbridge`);
  } else {
    console.log(`\nVerify it yourself: node dist/cli.js anchor verify --ledger ${join(work, 'ledger.sqlite')} --node-cert ${node.certPath}`);
    console.log(`and a proof: node dist/cli.js anchor proof --ledger ${join(work, 'ledger.sqlite')} --node-cert ${node.certPath} settlement ${event.eventId} ${vens[0]!.meterId}`);
  }
}
