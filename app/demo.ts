import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AnchorService, AnchorStore, contractAllocator, DrOrchestrator, EmbeddedLedger, embeddedLedgerView, FabricNetwork, httpEventSink, httpFeedSource, ATTRIBUTE, type ChainCheck, type ContractLedger, type DrEventRecord, type LedgerBackend, type LedgerIdentity, type SettlementRecord, type AllocationRecord } from '../anchor/index.js';
import { fabricLedgerView } from '../anchor/fabric/fabric-ledger-view.js';
import { ControllingStation } from '../iec104/index.js';
import { createVtn, UvamAdapter, vtnConfigSchema } from '../vtn/index.js';
import { simulateHouseholdDay, Ven, VenStore } from '../ven/index.js';
import { ManualClock, systemClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import { openTestPki, readPem } from '../src/pki.js';

const DAY_MS = 86_400_000;
const operator: LedgerIdentity = { id: 'x509::CN=demo-operator', mspId: 'SystemOperatorMSP', attributes: { [ATTRIBUTE.role]: 'operator' } };
const retailer: LedgerIdentity = { id: 'x509::CN=demo-retailer', mspId: 'RetailerMSP', attributes: { [ATTRIBUTE.role]: 'retailer', [ATTRIBUTE.retailerId]: 'retailer-1' } };

function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

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
  const run = await startDemo({ households, ledger: ledgerArg, apiPort: portArg >= 0 ? Number(args[portArg + 1]) : serve ? 8080 : 0 });
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
  step(`VTN listening at ${oadrUrl} (operator API ${apiUrl})`);
  const anchorStore = new AnchorStore(join(work, 'anchor.sqlite'));
  cleanup.push(() => anchorStore.close());
  // The contract on the embedded ledger, or on a local Fabric network brought up for the demo.
  const known: { events: DrEventRecord[]; customers: { meterId: string; customerId: string }[] } = { events: [], customers: [] };
  let ledger: ContractLedger & LedgerBackend;
  let height: () => Promise<number>;
  let verify: () => Promise<ChainCheck>;
  let ledgerName: string;
  if (options.ledger === 'fabric') {
    const network = new FabricNetwork({ dir: join(work, 'fabric'), ...(options.fabricBasePort ? { basePort: options.fabricBasePort } : {}), progress: (line) => step(`Fabric: ${line}`) });
    cleanup.push(() => network.down());
    await network.up();
    const fabric = network.ledger();
    cleanup.push(() => fabric.close());
    ledger = fabric;
    height = () => fabric.height(operator);
    verify = () => fabric.verifyChain(operator);
    ledgerName = 'Hyperledger Fabric (SystemOperatorMSP and RetailerMSP, 3 Raft orderers)';
    vtn.attachLedgerView(fabricLedgerView(fabric, operator, () => known, anchorStore));
  } else {
    const embedded = new EmbeddedLedger({ path: join(work, 'ledger.sqlite'), node: { privateKeyPem: readPem(node.keyPath), certificatePem: readPem(node.certPath) }, clock: systemClock });
    cleanup.push(() => embedded.close());
    ledger = embedded;
    height = async () => embedded.height();
    verify = async () => embedded.verifyChain();
    ledgerName = 'the embedded ledger';
    vtn.attachLedgerView(embeddedLedgerView(embedded, operator, anchorStore));
  }

  // The demo's calendar: the event is tomorrow, the history the 35 days before today.
  const today = Date.parse(`${dateOf(Date.now())}T00:00:00Z`);
  const eventDay = today + DAY_MS;
  const vens: { name: string; meterId: string; ven: Ven; store: VenStore; complies: boolean }[] = [];
  for (let h = 0; h < households; h++) {
    const cert = pki.issue(`household-${h + 1}`, h % 2 ? 'rsa' : 'ecdsa');
    const store = new VenStore(join(work, `ven-${h + 1}.sqlite`));
    const ven = new Ven({
      vtnUrl: oadrUrl, venName: `household-${h + 1}`, store, clock: systemClock,
      tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) },
      usage: [{ rId: 'power', resourceId: `meter-${h + 1}`, read: () => 0 }],
      handlers: { onEvent: () => (h % 2 === 0 ? 'optIn' : 'optOut') },
    });
    cleanup.push(async () => { await ven.stop(); store.close(); });
    await ven.register();
    await ledger.submit('registerMeter', { meterId: `meter-${h + 1}`, customerId: `household-${h + 1}`, retailerId: 'retailer-1' }, operator);
    known.customers.push({ meterId: `meter-${h + 1}`, customerId: `household-${h + 1}` });
    vens.push({ name: `household-${h + 1}`, meterId: `meter-${h + 1}`, ven, store, complies: h % 2 === 0 });
  }
  step(`${households} households registered over mutual TLS (odd ones comply, even ones ignore the event)`);

  const sendDay = (v: (typeof vens)[number], dayStart: number, readings: readonly number[]): Promise<void> =>
    v.ven.submitReadings(readings.map((value, k) => ({ rId: 'power', dtstart: dayStart + k * 900_000, durationMs: 900_000, value })));
  const anchor = new AnchorService({
    source: httpFeedSource(apiUrl), ledger, store: anchorStore, clock: new ManualClock(Date.now()), logger: silentLogger,
    identities: { operator, retailer }, meters: Object.fromEntries(vens.map((v) => [v.ven.venId!, { meterId: v.meterId, rId: 'power' }])),
    // Fabric commits in blocks: many writes in flight fill each one.
    deliveryConcurrency: options.ledger === 'fabric' ? 32 : 1,
  });
  for (let d = 35; d >= 1; d--) {
    for (const [h, v] of vens.entries()) await sendDay(v, eventDay - (d + 1) * DAY_MS, simulateHouseholdDay(1000 + h, 100 - d).readingsW);
    if (process.stdout.isTTY) process.stdout.write(`\r  35 days of quarter-hour telemetry: ${36 - d}/35 days sent`);
  }
  process.stdout.write(process.stdout.isTTY ? '\n' : '  35 days of quarter-hour telemetry sent\n');
  const afterHistory = await anchor.runOnce();
  step(`anchored on ${ledgerName}: ${afterHistory.done} records (meter-days, telemetry windows), ledger height ${await height()}`);

  await fetch(`${apiUrl}/api/programs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ programId: 'seed-002', name: 'Seed 002 DR', marketContext: 'http://flexbridge.example/seed-002' }) });
  const orchestrator = new DrOrchestrator(ledger, httpEventSink(apiUrl), operator);
  // Ask for a third of what the cluster usually draws in the event window, so that it can deliver.
  let clusterW = 0;
  for (const v of vens) {
    const baseline = await ledger.evaluate('evaluateBaseline', { meterId: v.meterId, eventDate: dateOf(eventDay), notifiedOn: dateOf(today) }, operator);
    clusterW += Math.min(...baseline.values.slice(28, 76));
  }
  const requestW = Math.round(clusterW / 3);
  const { event, allocations } = await orchestrator.notify({
    eventId: `dr-${dateOf(eventDay)}`, programId: 'seed-002', date: dateOf(eventDay), notifiedOn: dateOf(today), start: 28, end: 76, requestW,
    participants: vens.map((v) => ({ venId: v.ven.venId!, meterId: v.meterId })),
  });
  known.events.push(event);
  const shortfall = event.shortfall.reduce((s, x) => s + x, 0);
  step(`DR event ${event.eventId}: ${requestW} W less from 07:00 to 19:00, allocated on the ledger${shortfall > 0 ? ` (shortfall ${Math.round(shortfall)} W over the intervals)` : ' in full'}, one OpenADR event per VEN with its own targets`);

  for (const [h, v] of vens.entries()) {
    await v.ven.syncEvents();
    const mine = v.ven.events()[0]!;
    const targets = mine.intervals.filter((i) => i.signalName === 'LOAD_DISPATCH');
    const targetW = Array.from({ length: 96 }, (_, k) => (k >= 28 && k < 76 ? targets[k - 28]?.value : undefined));
    const allocation = allocations.find((a) => a.meterId === v.meterId)!;
    let readings: number[];
    if (v.complies) {
      // The EMS shifts the shiftable appliances; what it cannot shift it trims to the target.
      const day = simulateHouseholdDay(1000 + h, 100, { targetW, comply: true, contractW: 6000 });
      readings = day.readingsW.map((w, k) => (targetW[k] !== undefined ? Math.min(w, targetW[k]!) : w));
    } else {
      // Ignoring the event, the household draws its typical day (its baseline, give or take 5 %).
      readings = allocation.baseline.map((w, k) => Math.round(w * (1 + 0.05 * Math.sin(k * 1.7 + h))));
    }
    await sendDay(v, eventDay, readings);
  }
  await anchor.runOnce();
  const settlements = await orchestrator.settle(event.eventId, 100);
  const check = await verify();
  step(`event day anchored and settled; chain of ${check.blocks} blocks verified: ${check.ok ? 'ok' : 'PROBLEMS'}`);
  // The UVAM's IEC 104 station over the same households: what the TSO would read.
  const uvam = new UvamAdapter({
    host: '127.0.0.1', port: 0, commonAddress: 1, powerIoa: 1000, setpointIoa: 2000, venIds: vens.map((v) => v.ven.venId!), rId: 'power',
    programId: 'seed-002', orderDurationMs: 900_000, clock: systemClock, logger: silentLogger,
    // A TSO setpoint is allocated by the DR contract on the ledger, like the operator's event.
    allocator: contractAllocator({ ledger, operator, meters: Object.fromEntries(vens.map((v) => [v.ven.venId!, v.meterId])) }),
    allocationDeadlineMs: options.ledger === 'fabric' ? 900 : 700,
  }, vtn.store, vtn.operator);
  const iec104Port = await uvam.start();
  cleanup.push(() => uvam.stop());
  const tso = await ControllingStation.connect({ host: '127.0.0.1', port: iec104Port });
  const [power] = await tso.interrogate(1);
  const aggregateW = Math.round(Number(power?.value ?? 0));
  step(`IEC 104 station (UVAM) on port ${iec104Port}: a TSO interrogation reads the households' aggregate power, ${aggregateW} W`);
  // The TSO orders the UVAM down by a fifth for the next quarter-hour.
  const ordered = Date.now();
  await tso.setpoint({ commonAddress: 1, ioa: 2000, value: Math.round(aggregateW * 0.8) });
  const confirmedMs = Date.now() - ordered;
  await tso.close();
  const grid = (await vtn.store.read.feedAfter(0, 100_000)).filter((e) => e.kind === 'gridOrder').at(-1)?.data;
  step(`TSO setpoint ${Math.round(aggregateW * 0.8)} W confirmed in ${confirmedMs} ms; shared by ${grid && 'allocatedBy' in grid ? grid.allocatedBy ?? '?' : '?'}`);


  console.log('\nhousehold      opt     baseline W  target W  measured W  delivered  on target  reward (tokens)');
  const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  for (const v of vens) {
    const a = allocations.find((x: AllocationRecord) => x.meterId === v.meterId)!;
    const s = settlements.find((x: SettlementRecord) => x.meterId === v.meterId)!;
    console.log(`${v.name.padEnd(14)} ${(v.complies ? 'optIn' : 'optOut').padEnd(7)} ${mean(a.baseline.slice(28, 76)).toFixed(0).padStart(10)} ${mean(a.target.slice(28, 76)).toFixed(0).padStart(9)} ${mean(s.measured.slice(28, 76)).toFixed(0).padStart(11)} ${`${(s.performance * 100).toFixed(0)} %`.padStart(10)} ${`${s.compliantIntervals}/${s.eventIntervals}`.padStart(10)} ${s.reward.toFixed(2).padStart(16)}`);
  }
  const first = allocations.find((x) => x.meterId === vens[0]!.meterId)!;
  const firstSettlement = settlements.find((x) => x.meterId === vens[0]!.meterId)!;
  const max = Math.max(...first.baseline, ...firstSettlement.measured);
  console.log(`\n${vens[0]!.name}, the event day (00:00–24:00, quarter-hours; event 07:00–19:00):`);
  console.log(`  baseline  ${sparkline(first.baseline, max)}`);
  console.log(`  target    ${sparkline(first.target, max)}`);
  console.log(`  measured  ${sparkline(firstSettlement.measured, max)}`);
  if (options.ledger === 'fabric') {
    console.log(`\nThe Fabric network runs while the demo serves; query it with Fabric's own CLI:`);
    console.log(`  eval "$(node dist/cli.js fabric env --dir ${join(work, 'fabric')} --org operator)"; peer channel getinfo -c flexbridge`);
  } else {
    console.log(`\nVerify it yourself: node dist/cli.js anchor verify --ledger ${join(work, 'ledger.sqlite')} --node-cert ${node.certPath}`);
    console.log(`and a proof: node dist/cli.js anchor proof --ledger ${join(work, 'ledger.sqlite')} --node-cert ${node.certPath} settlement ${event.eventId} ${vens[0]!.meterId}`);
  }

  return { code: check.ok ? 0 : 1, iec104Port };
  }
}
