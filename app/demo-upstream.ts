import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Bridge } from '../bridge/bridge.js';
import { derivedEventId } from '../bridge/derive.js';
import { systemClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import { Vtn3Client, type Ven } from '../ven/index.js';
import { upstreamConfigSchema, type UvamAllocator, type Vtn } from '../vtn/index.js';
import { OPENLEADR_BL_SCOPES, OPENLEADR_VEN_SCOPES, provideOpenleadrVtnBinary, startOpenleadrVtn } from './openleadr-rs-vtn.js';

// The demo's `--upstream` mode: openleadr-rs's OpenADR 3.1 VTN plays the utility, FlexBridge is its
// VEN through the bridge, and the utility's setpoint is shared among the households by the DR
// contract on the ledger — the chain the dashboard's "Upstream events" table shows.

export interface UpstreamDayContext {
  readonly vtn: Vtn;
  readonly work: string;
  readonly households: readonly { readonly name: string; readonly ven: Ven }[];
  /** The DR contract's allocator, as the UVAM uses it. */
  readonly allocator: UvamAllocator;
  readonly onStop: (done: () => Promise<void> | void) => void;
  readonly report: (line: string) => void;
}

export interface UpstreamDayOutcome {
  readonly utilityUrl: string;
  readonly upstreamEventId: string;
  readonly setpointW: number;
  readonly opt: string;
  readonly allocatedBy: string;
  readonly gridOrderId: string;
  /** Each household's share (W) as its derived OpenADR event says, and whether its VEN received it. */
  readonly shares: readonly { readonly name: string; readonly eventId: string; readonly targetW: number; readonly received: boolean }[];
  /** What the utility holds of FlexBridge's reports on its event (DEMAND, kW). */
  readonly reportedKw: readonly number[];
}

const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, detail: () => string): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${detail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

export async function runUpstreamDay(ctx: UpstreamDayContext): Promise<UpstreamDayOutcome> {
  const step = ctx.report;
  const { vtn } = ctx;
  step('the utility: openleadr-rs\'s OpenADR 3.1 VTN (crates.io; built once and cached) on its own PostgreSQL 17');
  const binary = provideOpenleadrVtnBinary();
  const secret = { bl: `utility-bl-${process.pid}-secret`, ven: `flexbridge-${process.pid}-secret` };
  const utility = await startOpenleadrVtn(binary, [
    { clientId: 'utility-bl', secret: secret.bl, scopes: OPENLEADR_BL_SCOPES },
    { clientId: 'flexbridge', secret: secret.ven, scopes: OPENLEADR_VEN_SCOPES },
  ]);
  ctx.onStop(() => utility.stop());
  const detail = (): string => `openleadr-vtn's log:\n${utility.output().slice(-2000)}`;
  const bl = new Vtn3Client({ baseUrl: utility.url, clientId: 'utility-bl', clientSecret: secret.bl });
  ctx.onStop(() => bl.close());
  // The utility enrols the aggregator in its group `aggregators` and runs a peak programme.
  await bl.post('vens', { objectType: 'BL_VEN_REQUEST', clientID: 'flexbridge', venName: 'flexbridge', targets: ['aggregators'] });
  const program = await bl.post<{ id: string }>('programs', { programName: 'utility-peak' });

  const dataDir = join(ctx.work, 'bridge');
  mkdirSync(dataDir, { recursive: true });
  const bridge = new Bridge({
    config: upstreamConfigSchema.parse({
      protocol: 'openadr3', url: utility.url, venName: 'flexbridge', clientId: 'flexbridge', clientSecret: secret.ven,
      mqtt: false, pollFrequencyMs: 1_000, reportEveryMs: 5_000, programId: 'utility-dr', readings: [{ rId: 'power' }],
    }),
    store: vtn.store, operator: vtn.operator, dataDir, clock: systemClock, logger: silentLogger, allocator: ctx.allocator,
  });
  await bridge.start();
  ctx.onStop(() => bridge.stop());
  step(`FlexBridge is the utility's VEN \`flexbridge\` (OAuth2 client credentials, polling every second) and the VTN of ${ctx.households.length} households`);

  // The utility asks the aggregator to hold its households at 70 % of their present power for 15 minutes.
  const presentW = await bridge.fleetPower();
  const setpointW = Math.round(presentW * 0.7);
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
  const event = await bl.post<{ id: string }>('events', {
    programID: program.id, eventName: 'evening peak', targets: ['aggregators'], intervalPeriod: { start, duration: 'PT15M' },
    intervals: [{ id: 0, payloads: [{ type: 'DISPATCH_SETPOINT', values: [setpointW] }] }],
  });
  const record = await until('the utility\'s event at the bridge', () => vtn.store.read.getUpstreamEvent(event.id), 30_000, detail);
  const shares: { name: string; eventId: string; targetW: number; received: boolean }[] = [];
  for (const eventId of record.derivedEventIds) {
    const derived = await vtn.store.read.getEvent(eventId);
    const venId = derived?.event.target.venIds?.[0];
    const household = ctx.households.find((h) => h.ven.venId === venId);
    if (!derived || !household) continue;
    const payload = derived.event.signals.find((s) => s.signalName === 'LOAD_DISPATCH')?.intervals[0]?.payloads[0];
    await household.ven.syncEvents();
    shares.push({ name: household.name, eventId, targetW: payload?.kind === 'float' ? payload.value : NaN, received: household.ven.events().some((e) => e.eventId === eventId) });
  }
  step(`utility event ${event.id}: ${setpointW} W for 15 minutes → ${shares.length} household events, opt ${record.opt} upstream; shared by ${record.allocatedBy}`);
  const reports = await until('FlexBridge\'s report at the utility', async () => {
    const got = await bl.get<{ resources: { intervals: { payloads: { type: string; values: number[] }[] }[] }[] }[]>('reports', { eventID: event.id });
    const kw = got.flatMap((r) => r.resources.flatMap((res) => res.intervals.flatMap((i) => i.payloads.filter((p) => p.type === 'DEMAND').flatMap((p) => p.values))));
    return kw.length ? kw : undefined;
  }, 30_000, detail);
  step(`the utility holds FlexBridge's report: DEMAND ${reports.map((kw) => `${kw} kW`).join(', ')} (the households' power, recorded first as the upstream VEN's readings)`);
  return {
    utilityUrl: utility.url, upstreamEventId: event.id, setpointW, opt: record.opt, allocatedBy: record.allocatedBy,
    gridOrderId: `upstream-${derivedEventId(event.id)}-v0`, shares, reportedKw: reports,
  };
}
