// What the VEN scenarios share: the events and reports the scripted VTN hands out, and the case shape.
import { randomUUID } from 'node:crypto';
import { durationFromMs, durationToMs, type OadrCreatedEvent, type OadrEvent, type OadrMessage, type OadrRegisterReport, type ReportRequest } from '../../../../schemas/index.js';
import { CaseFailure, expectThat, NotApplicable, type ConformanceCase } from '../../../harness/case.js';
import type { Delivery } from '../../../harness/harness-ven.js';
import type { ScriptedVtn, VenCaseContext, VenControl, VenTarget } from '../../../harness/ven-target.js';

/** A scenario; `beforeStart` sets the scripted VTN up before the VEN under test starts (e.g. the events it finds). */
export type VenScenario = ((ctx: VenCaseContext) => Promise<void>) & { beforeStart?: (vtn: ScriptedVtn) => void };

/** One case of the VEN list: its ID and words, how the harness VTN's payloads reach the VEN, the scenario. */
export function venCase(def: { id: string; title: string; requirement: string; delivery: Delivery; run: VenScenario; control?: boolean; preallocate?: boolean; notApplicable?: string }): ConformanceCase<VenTarget, VenCaseContext> {
  return {
    id: def.id, title: def.title, requirement: def.requirement, delivery: def.delivery, ...(def.preallocate ? { preallocate: true } : {}),
    ...('beforeStart' in def.run ? { beforeStart: def.run.beforeStart } : {}),
    notApplicable: () => def.notApplicable,
    async run(ctx) {
      if (def.control && !ctx.control) throw new NotApplicable('the VEN must act on its own here (the specification\'s operator prompt): the harness has no control of the VEN under test');
      await def.run(ctx);
    },
  };
}

export const control = (ctx: VenCaseContext): VenControl => ctx.control!;

/** A DR event the scripted VTN hands out (starts in an hour unless `startInMs`). */
export function event(eventId: string, modificationNumber: number, options: { responseRequired?: 'always' | 'never'; value?: number; signalName?: string; signalType?: string; resourceIds?: readonly string[]; baseline?: boolean; startInMs?: number } = {}): OadrEvent {
  const start = Date.now() + (options.startInMs ?? 3_600_000);
  const dtstart = { epochMs: start - (start % 1000), microsOfMs: 0 };
  return {
    descriptor: { eventId, modificationNumber, marketContext: 'http://flexbridge.example/conformance', createdDateTime: { epochMs: Date.now() - 60_000, microsOfMs: 0 }, eventStatus: 'far', priority: 1 },
    activePeriod: { dtstart, duration: durationFromMs(3_600_000) },
    signals: [{
      signalName: (options.signalName ?? 'SIMPLE') as 'SIMPLE', signalType: (options.signalType ?? 'level') as 'level', signalId: 'sig-0',
      intervals: [{ uid: '0', duration: durationFromMs(1_800_000), payloads: [{ kind: 'float', value: options.value ?? 1 }] }, { uid: '1', duration: durationFromMs(1_800_000), payloads: [{ kind: 'float', value: options.value ?? 1 }] }],
    }],
    ...(options.baseline ? { baseline: {
      baselineId: `${eventId}-baseline`, baselineName: 'day-before', dtstart: { epochMs: dtstart.epochMs - 86_400_000, microsOfMs: 0 }, duration: durationFromMs(3_600_000),
      intervals: [{ uid: '0', duration: durationFromMs(1_800_000), payloads: [{ kind: 'float', value: 3.05 }] }, { uid: '1', duration: durationFromMs(1_800_000), payloads: [{ kind: 'float', value: 3.08 }] }],
    } } : {}),
    target: options.resourceIds ? { resourceIds: options.resourceIds } : {}, responseRequired: options.responseRequired ?? 'always',
  };
}

/** An oadrCreatedEvent that answers `eventId` at `modificationNumber`. */
export const answers = (eventId: string, modificationNumber: number) => (m: OadrMessage): m is OadrCreatedEvent =>
  m.type === 'oadrCreatedEvent' && (m.eventResponses ?? []).some((r) => r.qualifiedEventId.eventId === eventId && r.qualifiedEventId.modificationNumber === modificationNumber);

type Of<T extends OadrMessage['type']> = Extract<OadrMessage, { type: T }>;

/**
 * Hands `message` to the VEN and returns its answer of `type`: in the HTTP response when pushed,
 * as a request of its own when polled.
 */
export async function exchange<T extends OadrMessage['type']>(ctx: VenCaseContext, message: OadrMessage, type: T, what: string, match: (m: Of<T>) => boolean = () => true, timeoutMs = 15_000): Promise<Of<T>> {
  const since = Date.now();
  const reply = await ctx.vtn.deliver(message);
  if (reply && reply.type === type && match(reply as Of<T>)) return reply as Of<T>;
  return ctx.vtn.waitFor(what, (m): m is Of<T> => m.type === type && match(m as Of<T>), timeoutMs, since);
}

/** Hands out a distribute with `events` and returns the VEN's oadrCreatedEvent answering the first. */
export async function distribute(ctx: VenCaseContext, events: readonly OadrEvent[], options: { vtnId?: string } = {}): Promise<OadrCreatedEvent> {
  ctx.vtn.events = [...events];
  const first = events[0]!;
  return exchange(ctx, ctx.vtn.distribute(randomUUID(), options.vtnId), 'oadrCreatedEvent', `oadrCreatedEvent for ${first.descriptor.eventId} #${first.descriptor.modificationNumber}`, answers(first.descriptor.eventId, first.descriptor.modificationNumber));
}

/** The VEN's answer for one event: responseCode and optType as expected. */
export function expectAnswer(created: OadrCreatedEvent, eventId: string, code = 200): void {
  const response = (created.eventResponses ?? []).find((r) => r.qualifiedEventId.eventId === eventId);
  expectThat(response !== undefined, `the oadrCreatedEvent answers ${eventId}`);
  expectThat(response.responseCode === code, `responseCode ${code} for ${eventId}, got ${response.responseCode} ${response.responseDescription ?? ''}`);
  expectThat(['optIn', 'optOut'].includes(response.optType), `an optType for ${eventId}, got ${response.optType}`);
}

/** Waits `ms` and fails if the VEN sent a payload matching `match` meanwhile. */
export async function quiet(ctx: VenCaseContext, what: string, match: (m: OadrMessage) => boolean, ms: number): Promise<void> {
  const since = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  const sent = ctx.vtn.received.filter((r) => r.at >= since && match(r.message));
  if (sent.length) throw new CaseFailure(`the VEN sent ${what} it should not have: ${sent.map((r) => r.message.type).join(', ')}`);
}

/** The VEN's METADATA as registered: the report offering `reportName`, or not applicable. */
export async function offered(ctx: VenCaseContext, reportName: string): Promise<{ specifierId: string; rIds: string[]; readingTypes: string[]; minPeriodMs: number }> {
  const registration = await ctx.vtn.waitFor('its METADATA (oadrRegisterReport)', (m): m is OadrRegisterReport => m.type === 'oadrRegisterReport');
  const report = registration.reports.find((r) => r.reportName === reportName);
  if (!report) throw new NotApplicable(`the VEN offers no ${reportName.replace(/^METADATA_/, '')} report (its METADATA: ${registration.reports.map((r) => r.reportName).join(', ') || 'none'})`);
  const periods = (report.descriptions ?? []).map((d) => (d.samplingRate ? durationToMs(d.samplingRate.minPeriod) : 60_000));
  return { specifierId: report.reportSpecifierId, rIds: (report.descriptions ?? []).map((d) => d.rId), readingTypes: (report.descriptions ?? []).map((d) => d.readingType), minPeriodMs: Math.max(1_000, ...periods) };
}

/** A report request for an offered report. */
export function reportRequest(spec: { specifierId: string; rIds: readonly string[]; readingTypes?: readonly string[] }, granularityMs: number, reportBackMs: number, window?: { dtstart: number; durationMs: number }): ReportRequest {
  return {
    reportRequestId: `th-rr-${randomUUID().slice(0, 8)}`,
    reportSpecifier: {
      reportSpecifierId: spec.specifierId, granularity: durationFromMs(granularityMs), reportBackDuration: durationFromMs(reportBackMs),
      ...(window ? { reportInterval: { dtstart: { epochMs: window.dtstart, microsOfMs: 0 }, duration: durationFromMs(window.durationMs) } } : {}),
      specifierPayloads: spec.rIds.map((rId, i) => ({ rId, readingType: (spec.readingTypes?.[i] ?? 'x-notApplicable') as 'x-notApplicable' })),
    },
  };
}
