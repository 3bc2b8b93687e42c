// Steps several VTN cases share: registering the harness's VEN, offering its telemetry, issuing events.
import { randomUUID } from 'node:crypto';
import { durationFromMs, type OadrReport } from '../../../schemas/index.js';
import { CaseFailure, expectCode, expectThat, expectType, type CaseContext, type VenIdentity } from '../../harness/case.js';
import type { VtnTarget } from '../../harness/vtn-target.js';

export type Ctx = CaseContext<VtnTarget>;
export const needsOperator = (t: VtnTarget): string | undefined => (t.operatorApi ? undefined : 'needs the VTN to issue an event: give --operator-api (FlexBridge operator API shape)');

export async function register(ctx: Ctx, ven: VenIdentity, options: { xmlSignature?: boolean } = {}): Promise<string> {
  const answer = expectType(await ctx.send('EiRegisterParty', {
    type: 'oadrCreatePartyRegistration', requestId: randomUUID(), profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false,
    xmlSignature: options.xmlSignature ?? false, httpPullModel: true, venName: ven.label,
  }, { as: ven, sign: options.xmlSignature ?? false }), 'oadrCreatedPartyRegistration');
  expectCode(answer, 200);
  expectThat(Boolean(answer.registrationId), 'a successful registration carries a registrationID');
  expectThat(answer.venId?.toLowerCase() === ven.venId, `the venID must be the certificate's (${ven.venId}), got ${answer.venId ?? 'none'}`);
  return answer.registrationId!;
}

export const telemetryMetadata = (): OadrReport => ({
  reportRequestId: '0', reportSpecifierId: 'conformance-usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
  duration: durationFromMs(3_600_000), descriptions: [{ rId: 'power', reportType: 'usage', readingType: 'Direct Read', reportDataSource: { resourceIds: ['meter-1'] }, samplingRate: { minPeriod: durationFromMs(60_000), maxPeriod: durationFromMs(3_600_000), onChange: false } }],
});

async function operator(ctx: Ctx, method: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${ctx.target.operatorApi!}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json() as unknown;
  if (res.status >= 300) throw new CaseFailure(`operator API ${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Has the VTN issue an event to `ven` through the operator API; returns its eventID. */
export async function issueEvent(ctx: Ctx, ven: VenIdentity, value = 1, eventId = `conformance-${randomUUID().slice(0, 8)}`): Promise<string> {
  await fetch(`${ctx.target.operatorApi!}/api/programs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ programId: 'conformance', name: 'Conformance', marketContext: 'http://flexbridge.example/conformance' }) });
  await operator(ctx, 'POST', '/api/events', eventBody(ven, eventId, value));
  return eventId;
}

export async function modifyEvent(ctx: Ctx, ven: VenIdentity, eventId: string, value: number): Promise<void> {
  await operator(ctx, 'PUT', `/api/events/${encodeURIComponent(eventId)}`, eventBody(ven, eventId, value));
}

const eventBody = (ven: VenIdentity, eventId: string, value: number) => ({
  programId: 'conformance', eventId, dtstart: Date.now() + 3_600_000, targets: { venIds: [ven.venId] }, responseRequired: 'always',
  signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 1_800_000, value }, { durationMs: 1_800_000, value: 0 }] }],
});
