import { join } from 'node:path';
import { AnchorService, AnchorStore, contractAllocator, DrOrchestrator, EmbeddedLedger, embeddedLedgerView, FabricNetwork, httpFeedSource, ATTRIBUTE, type ChainCheck, type ContractLedger, type DrEventRecord, type LedgerBackend, type LedgerIdentity, type SettlementRecord, type AllocationRecord, type VtnEventSink } from '../anchor/index.js';
import { fabricLedgerView } from '../anchor/fabric/fabric-ledger-view.js';
import { ControllingStation, valueOf } from '../iec104/index.js';
import { localDateOf, localDay, type LocalDay } from '../anchor/domain/index.js';
import { eventInputFromJson, UvamAdapter, type Vtn } from '../vtn/index.js';
import { simulateHouseholdDay, Ven, VenStore } from '../ven/index.js';
import { ManualClock, systemClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import { readPem, type TestPki } from '../src/pki.js';
import { runUpstreamDay, type UpstreamDayOutcome } from './demo-upstream.js';

// Seed 002's DR day as a scenario: it drives a running VTN through its operator service, reports
// progress through `report`, and returns what happened; app/demo.ts prints it.

const operator: LedgerIdentity = { id: 'x509::CN=demo-operator', mspId: 'SystemOperatorMSP', attributes: { [ATTRIBUTE.role]: 'operator' } };
const retailer: LedgerIdentity = { id: 'x509::CN=demo-retailer', mspId: 'RetailerMSP', attributes: { [ATTRIBUTE.role]: 'retailer', [ATTRIBUTE.retailerId]: 'retailer-1' } };

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export interface DemoDayContext {
  readonly households: number;
  readonly ledger: 'embedded' | 'fabric';
  /** The program's IANA time zone: its local days are the meter-days, its clock the event's (default Europe/Rome, the seed's households). */
  readonly timeZone?: string;
  readonly fabricBasePort?: number;
  /** Where the day's data goes (ledger, anchor store, VEN stores, Fabric network). */
  readonly work: string;
  readonly pki: TestPki;
  /** The ledger node's certificate (embedded ledger). */
  readonly node: { readonly keyPath: string; readonly certPath: string };
  readonly vtn: Vtn;
  readonly oadrUrl: string;
  readonly apiUrl: string;
  /** Registers what must be stopped when the demo ends (last registered, first stopped). */
  readonly onStop: (done: () => Promise<void> | void) => void;
  /** One line of progress. */
  readonly report: (line: string) => void;
  /** Telemetry sent so far (days of the history). */
  readonly progress?: (daysSent: number, days: number) => void;
  /** Also play the bridge: openleadr-rs's 3.1 VTN as the utility, its setpoint shared by the contract. */
  readonly upstream?: boolean;
}

export interface DemoDayOutcome {
  readonly ok: boolean;
  readonly iec104Port: number;
  readonly ledgerName: string;
  readonly households: readonly { readonly name: string; readonly meterId: string; readonly complies: boolean }[];
  readonly event: DrEventRecord;
  readonly allocations: readonly AllocationRecord[];
  readonly settlements: readonly SettlementRecord[];
  readonly check: ChainCheck;
  readonly upstream?: UpstreamDayOutcome;
}

/** The day: households register, 35 days of telemetry are anchored, an event is allocated by the contract, complied with or not, settled; a TSO reads and orders the UVAM. */
export async function runDemoDay(ctx: DemoDayContext): Promise<DemoDayOutcome> {
  const { households, work, pki, node, vtn, oadrUrl, apiUrl } = ctx;
  const timeZone = ctx.timeZone ?? 'Europe/Rome';
  const step = ctx.report;
  step(`VTN listening at ${oadrUrl} (operator API ${apiUrl})`);
  const anchorStore = new AnchorStore(join(work, 'anchor.sqlite'));
  ctx.onStop(() => anchorStore.close());
  // The contract on the embedded ledger, or on a local Fabric network brought up for the demo.
  const known: { events: DrEventRecord[]; customers: { meterId: string; customerId: string }[] } = { events: [], customers: [] };
  let ledger: ContractLedger & LedgerBackend;
  let height: () => Promise<number>;
  let verify: () => Promise<ChainCheck>;
  let ledgerName: string;
  if (ctx.ledger === 'fabric') {
    const network = new FabricNetwork({ dir: join(work, 'fabric'), ...(ctx.fabricBasePort ? { basePort: ctx.fabricBasePort } : {}), progress: (line) => step(`Fabric: ${line}`) });
    ctx.onStop(() => network.down());
    await network.up();
    const fabric = network.ledger();
    ctx.onStop(() => fabric.close());
    ledger = fabric;
    height = () => fabric.height(operator);
    verify = () => fabric.verifyChain(operator);
    ledgerName = 'Hyperledger Fabric (SystemOperatorMSP and RetailerMSP, 3 Raft orderers)';
    vtn.attachLedgerView(fabricLedgerView(fabric, operator, () => known, anchorStore, timeZone));
  } else {
    const embedded = new EmbeddedLedger({ path: join(work, 'ledger.sqlite'), node: { privateKeyPem: readPem(node.keyPath), certificatePem: readPem(node.certPath) }, clock: systemClock });
    ctx.onStop(() => embedded.close());
    ledger = embedded;
    height = async () => embedded.height();
    verify = async () => embedded.verifyChain();
    ledgerName = 'the embedded ledger';
    vtn.attachLedgerView(embeddedLedgerView(embedded, operator, anchorStore, timeZone));
  }

  // The demo's calendar, in local days of the program's zone: the event is tomorrow, the history
  // the 35 days before today (a change day among them has 92 or 100 quarter-hours).
  const today = localDateOf(Date.now(), timeZone);
  const eventDate = addDays(today, 1);
  const dayOf = (date: string): LocalDay => localDay(date, timeZone, 15);
  const eventDay = dayOf(eventDate);
  // A simulated day is 96 quarter-hours of clock time; a local day takes the slots it has.
  const onDay = (day: LocalDay, byClock: readonly number[]): number[] => day.slots.map((slot) => byClock[slot]!);
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
    ctx.onStop(async () => { await ven.stop(); store.close(); });
    await ven.register();
    await ledger.submit('registerMeter', { meterId: `meter-${h + 1}`, customerId: `household-${h + 1}`, retailerId: 'retailer-1' }, operator);
    known.customers.push({ meterId: `meter-${h + 1}`, customerId: `household-${h + 1}` });
    vens.push({ name: `household-${h + 1}`, meterId: `meter-${h + 1}`, ven, store, complies: h % 2 === 0 });
  }
  step(`${households} households registered over mutual TLS (odd ones comply, even ones ignore the event)`);

  const sendDay = (v: (typeof vens)[number], day: LocalDay, readings: readonly number[]): Promise<void> =>
    v.ven.submitReadings(readings.map((value, k) => ({ rId: 'power', dtstart: day.startMs + k * 900_000, durationMs: 900_000, value })));
  const anchor = new AnchorService({
    source: httpFeedSource(apiUrl), ledger, store: anchorStore, clock: new ManualClock(Date.now()), logger: silentLogger,
    identities: { operator, retailer }, meters: Object.fromEntries(vens.map((v) => [v.ven.venId!, { meterId: v.meterId, rId: 'power' }])), timeZone,
    // Fabric commits in blocks: many writes in flight fill each one.
    deliveryConcurrency: ctx.ledger === 'fabric' ? 32 : 1,
  });
  vtn.metrics.attachAnchor(async () => ({ ...anchor.backlog(), ledgerHeight: await height() }));
  for (let d = 35; d >= 1; d--) {
    const day = dayOf(addDays(eventDate, -(d + 1)));
    for (const [h, v] of vens.entries()) await sendDay(v, day, onDay(day, simulateHouseholdDay(1000 + h, 100 - d).readingsW));
    ctx.progress?.(36 - d, 35);
  }
  const afterHistory = await anchor.runOnce();
  step(`anchored on ${ledgerName}: ${afterHistory.done} records (meter-days, telemetry windows), ledger height ${await height()}`);

  // The demo is the operator: it drives the VTN through its operator service, as the API would.
  await vtn.operator.createProgram({ programId: 'seed-002', name: 'Seed 002 DR', marketContext: 'http://flexbridge.example/seed-002', timeZone });
  const events: VtnEventSink = { createEvent: async (input) => ({ eventId: (await vtn.operator.createEvent(eventInputFromJson(input))).eventId }) };
  const orchestrator = new DrOrchestrator(ledger, events, operator);
  // 07:00–19:00 local time, as intervals of the event's local day.
  const start = eventDay.slots.indexOf(28);
  const end = eventDay.slots.indexOf(76);
  // Ask for a third of what the cluster usually draws in the event window, so that it can deliver.
  let clusterW = 0;
  for (const v of vens) {
    const baseline = await ledger.evaluate('evaluateBaseline', { meterId: v.meterId, eventDate, notifiedOn: today, timeZone }, operator);
    clusterW += Math.min(...baseline.values.slice(start, end));
  }
  const requestW = Math.round(clusterW / 3);
  const { event, allocations } = await orchestrator.notify({
    eventId: `dr-${eventDate}`, programId: 'seed-002', date: eventDate, notifiedOn: today, timeZone, start, end, requestW,
    participants: vens.map((v) => ({ venId: v.ven.venId!, meterId: v.meterId })),
  });
  known.events.push(event);
  const shortfall = event.shortfall.reduce((s, x) => s + x, 0);
  step(`DR event ${event.eventId}: ${requestW} W less from 07:00 to 19:00 ${timeZone}, allocated on the ledger${shortfall > 0 ? ` (shortfall ${Math.round(shortfall)} W over the intervals)` : ' in full'}, one OpenADR event per VEN with its own targets`);

  for (const [h, v] of vens.entries()) {
    await v.ven.syncEvents();
    const mine = v.ven.events()[0]!;
    const targets = mine.intervals.filter((i) => i.signalName === 'LOAD_DISPATCH');
    // Targets by interval of the event day, and by clock slot for the household's EMS (which plans 96 quarter-hours).
    const targetW = Array.from({ length: eventDay.intervals }, (_, k) => (k >= start && k < end ? targets[k - start]?.value : undefined));
    const targetByClock = Array.from({ length: 96 }, (_, slot) => targetW[eventDay.slots.indexOf(slot)]);
    const allocation = allocations.find((a) => a.meterId === v.meterId)!;
    let readings: number[];
    if (v.complies) {
      // The EMS shifts the shiftable appliances; what it cannot shift it trims to the target.
      const day = onDay(eventDay, simulateHouseholdDay(1000 + h, 100, { targetW: targetByClock, comply: true, contractW: 6000 }).readingsW);
      readings = day.map((w, k) => (targetW[k] !== undefined ? Math.min(w, targetW[k]!) : w));
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
  // A TSO setpoint (and, with --upstream, the utility's) is allocated by the DR contract on the ledger, like the operator's event.
  const allocator = contractAllocator({ ledger, operator, meters: Object.fromEntries(vens.map((v) => [v.ven.venId!, v.meterId])), timeZone });
  // The UVAM's IEC 104 station over the same households: what the TSO would read.
  const uvam = new UvamAdapter({
    host: '127.0.0.1', port: 0, commonAddress: 1, powerIoa: 1000, setpointIoa: 2000, venIds: vens.map((v) => v.ven.venId!), rId: 'power',
    programId: 'seed-002', orderDurationMs: 900_000, clock: systemClock, logger: silentLogger,
    allocator,
    allocationDeadlineMs: ctx.ledger === 'fabric' ? 900 : 700,
  }, vtn.store, vtn.operator);
  const iec104Port = await uvam.start();
  ctx.onStop(() => uvam.stop());
  const tso = await ControllingStation.connect({ host: '127.0.0.1', port: iec104Port });
  const [power] = await tso.interrogate(1);
  const aggregateW = Math.round(Number(valueOf(power) ?? 0));
  step(`IEC 104 station (UVAM) on port ${iec104Port}: a TSO interrogation reads the households' aggregate power, ${aggregateW} W`);
  // The TSO orders the UVAM down by a fifth for the next quarter-hour.
  const ordered = Date.now();
  await tso.setpoint({ commonAddress: 1, ioa: 2000, value: Math.round(aggregateW * 0.8) });
  const confirmedMs = Date.now() - ordered;
  await tso.close();
  const grid = (await vtn.store.read.feedAfter(0, 100_000)).filter((e) => e.kind === 'gridOrder').at(-1)?.data;
  step(`TSO setpoint ${Math.round(aggregateW * 0.8)} W confirmed in ${confirmedMs} ms; shared by ${grid && 'allocatedBy' in grid ? grid.allocatedBy ?? '?' : '?'}`);

  let upstream: UpstreamDayOutcome | undefined;
  let finalCheck = check;
  if (ctx.upstream) {
    upstream = await runUpstreamDay({ vtn, work, households: vens, allocator, onStop: ctx.onStop, report: step });
    // The chain onto the ledger: the utility's request, the household events, their telemetry, what went up.
    await anchor.runOnce();
    finalCheck = await verify();
    step(`the upstream chain anchored; chain of ${finalCheck.blocks} blocks verified: ${finalCheck.ok ? 'ok' : 'PROBLEMS'}`);
  }
  return {
    ok: check.ok && finalCheck.ok, iec104Port, ledgerName, households: vens.map((v) => ({ name: v.name, meterId: v.meterId, complies: v.complies })),
    event, allocations, settlements, check: finalCheck, ...(upstream ? { upstream } : {}),
  };
}
