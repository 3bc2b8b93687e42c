// What the VTN scenarios share: the harness VEN's metadata, event answers, and the case shape.
import { randomUUID } from 'node:crypto';
import { durationFromMs, type OadrDistributeEvent, type OadrEvent, type OadrReport, type OptType } from '../../../../schemas/index.js';
import { CaseFailure, expectCode, expectThat, expectType, NotApplicable, type ConformanceCase } from '../../../harness/case.js';
import { HarnessVen, type Delivery } from '../../../harness/harness-ven.js';
import type { EventSpec, VtnCaseContext, VtnOperator, VtnTarget } from '../../../harness/vtn-target.js';

export type Scenario = (ctx: VtnCaseContext, delivery: Delivery, label: string) => Promise<void>;

/** One case of the VTN list: its ID and words, how its payloads reach the harness VEN, and the scenario it runs. */
export function vtnCase(def: { id: string; title: string; requirement: string; delivery: Delivery; needs?: readonly (keyof VtnOperator)[]; run: Scenario; notApplicable?: string }): ConformanceCase<VtnTarget, VtnCaseContext> {
  return {
    id: def.id, title: def.title, requirement: def.requirement, delivery: def.delivery,
    notApplicable(target) {
      if (def.notApplicable) return def.notApplicable;
      if (!def.needs?.length) return undefined;
      if (!target.operator) return `needs the VTN to act on its own (${def.needs.join(', ')}): give --operator-api (FlexBridge operator API shape)`;
      const missing = def.needs.filter((n) => typeof target.operator![n] !== 'function');
      return missing.length ? `the VTN's operator interface offers no ${missing.join(', ')}` : undefined;
    },
    run: (ctx) => def.run(ctx, def.delivery, def.id.slice(0, 7).toLowerCase()),
  };
}

export const operator = (ven: HarnessVen): VtnOperator => ven.ctx.target.operator!;

export const openVen = (ctx: VtnCaseContext, label: string, delivery: Delivery): Promise<HarnessVen> => HarnessVen.open(ctx, label, delivery);

export async function registeredVen(ctx: VtnCaseContext, label: string, delivery: Delivery): Promise<HarnessVen> {
  const ven = await HarnessVen.open(ctx, label, delivery);
  await ven.register();
  return ven;
}

const at = (ms: number) => ({ epochMs: ms, microsOfMs: 0 });
const power = { kind: 'powerReal' as const, itemDescription: 'RealPower', itemUnits: 'W', siScaleCode: 'none' as const, powerAttributes: { hertz: 50, voltage: 230, ac: true } };
const energy = { kind: 'energyReal' as const, itemDescription: 'RealEnergy', itemUnits: 'Wh', siScaleCode: 'none' as const };
const sampling = { minPeriod: durationFromMs(60_000), maxPeriod: durationFromMs(3_600_000), onChange: false };

/** The harness VEN's METADATA: telemetry usage (power, energy), telemetry status and a usage history. */
export function harnessMetadata(): OadrReport[] {
  const source = { resourceIds: ['resource-1'] };
  return [
    { reportRequestId: '0', reportSpecifierId: 'th-telemetry-usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: at(Date.now()), duration: durationFromMs(3_600_000), descriptions: [
      { rId: 'power', reportType: 'usage', readingType: 'Direct Read', reportDataSource: source, itemBase: power, samplingRate: sampling },
      { rId: 'energy', reportType: 'usage', readingType: 'Direct Read', reportDataSource: source, itemBase: energy, samplingRate: sampling },
    ] },
    { reportRequestId: '0', reportSpecifierId: 'th-telemetry-status', reportName: 'METADATA_TELEMETRY_STATUS', createdDateTime: at(Date.now()), duration: durationFromMs(3_600_000), descriptions: [
      { rId: 'status', reportType: 'x-resourceStatus', readingType: 'x-notApplicable', reportDataSource: source, samplingRate: sampling },
    ] },
    { reportRequestId: '0', reportSpecifierId: 'th-history-usage', reportName: 'METADATA_HISTORY_USAGE', createdDateTime: at(Date.now()), duration: durationFromMs(86_400_000), descriptions: [
      { rId: 'energy-history', reportType: 'usage', readingType: 'Direct Read', reportDataSource: source, itemBase: energy, samplingRate: sampling },
    ] },
  ];
}

/** Registers the harness VEN's METADATA; returns the report requests the VTN piggy-backed on its answer. */
export async function registerMetadata(ven: HarnessVen): Promise<readonly string[]> {
  const registered = expectType(await ven.send('EiReport', { type: 'oadrRegisterReport', requestId: randomUUID(), venId: ven.venId, reportRequestId: '0', reports: harnessMetadata() }), 'oadrRegisteredReport');
  expectCode(registered, 200);
  return (registered.reportRequests ?? []).map((r) => r.reportRequestId);
}

/** Has the VTN issue an event for the VEN; returns its eventID. */
export async function issue(ven: HarnessVen, value = 1, spec: EventSpec = {}): Promise<string> {
  const eventId = `th-${randomUUID().slice(0, 8)}`;
  await operator(ven).issueEvent(ven.venId, eventId, value, spec);
  return eventId;
}

/** The next distribute that carries `eventId` (at `modificationNumber` when given). */
export async function distributeOf(ven: HarnessVen, eventId: string, modificationNumber?: number): Promise<{ distribute: OadrDistributeEvent; event: OadrEvent }> {
  const has = (d: OadrDistributeEvent) => d.events.some((e) => e.descriptor.eventId === eventId && (modificationNumber === undefined || e.descriptor.modificationNumber === modificationNumber));
  const distribute = await ven.next('oadrDistributeEvent', `oadrDistributeEvent with ${eventId}${modificationNumber === undefined ? '' : ` #${modificationNumber}`}`, has);
  expectThat(distribute.vtnId.length > 0, 'a distribute names its vtnID');
  return { distribute, event: distribute.events.find((e) => e.descriptor.eventId === eventId && (modificationNumber === undefined || e.descriptor.modificationNumber === modificationNumber))! };
}

/** Sends oadrCreatedEvent for the given events and expects oadrResponse 200. */
export async function answerEvents(ven: HarnessVen, distribute: OadrDistributeEvent, answers: readonly { event: OadrEvent; optType: OptType; code?: number }[], expected = 200): Promise<void> {
  const answer = await ven.send('EiEvent', {
    type: 'oadrCreatedEvent', venId: ven.venId, response: { responseCode: 200, responseDescription: 'OK', requestId: distribute.requestId },
    eventResponses: answers.map((a) => ({ responseCode: a.code ?? 200, responseDescription: a.code && a.code >= 400 ? 'refused' : 'OK', requestId: distribute.requestId, qualifiedEventId: { eventId: a.event.descriptor.eventId, modificationNumber: a.event.descriptor.modificationNumber }, optType: a.optType })),
  });
  expectCode(expectType(answer, 'oadrResponse'), expected);
}

/** The VTN's view of the VEN's participation, when its operator interface offers one. */
export async function expectParticipation(ven: HarnessVen, eventId: string, expected: OptType): Promise<void> {
  const op = operator(ven);
  if (!op.participation) return;
  const seen = await op.participation(ven.venId, eventId);
  expectThat(seen === expected, `the VTN should hold the VEN as ${expected} for ${eventId}, it holds ${seen ?? 'no answer'}`);
}

/** The VTN's METADATA registration reached the VEN: the VTN offers reports of its own, or the case is not applicable. */
export async function vtnOffers(ven: HarnessVen): Promise<OadrReport[]> {
  let offered: OadrReport[] = [];
  try {
    const registration = await ven.next('oadrRegisterReport', 'its own METADATA (oadrRegisterReport)', () => true, 5_000);
    offered = registration.reports.filter((r) => (r.descriptions ?? []).length > 0);
  } catch (error) {
    if (!(error instanceof CaseFailure && error.message.startsWith('timed out'))) throw error;
  }
  if (offered.length === 0) throw new NotApplicable('the VTN registered no reports of its own (VTN reporting is optional in 2.0b)');
  return offered;
}
