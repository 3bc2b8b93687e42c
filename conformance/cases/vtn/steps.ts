// Steps several VTN cases share: registering the harness's VEN, offering its telemetry, issuing events.
import { randomUUID } from 'node:crypto';
import { durationFromMs, type OadrMessage, type OadrReport } from '../../../schemas/index.js';
import { CaseFailure, expectCode, expectThat, expectType, type VenIdentity } from '../../harness/case.js';
import type { PushEndpoint, VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';

export type Ctx = VtnCaseContext;
export const needsOperator = (t: VtnTarget): string | undefined => (t.operator ? undefined : 'needs the VTN to issue an event: give --operator-api (FlexBridge operator API shape)');
export const needsModify = (t: VtnTarget): string | undefined => needsOperator(t) ?? (t.operator?.modifyEvent ? undefined : 'the VTN offers no way to change an issued event');

/** The transport fields of a registration: simple HTTP (pull, or push to `pushTo`) or XMPP (push to the VEN's JID). */
export function transportFields(ctx: Ctx, ven: VenIdentity, pushTo?: string): { transportName: 'simpleHttp' | 'xmpp'; httpPullModel: boolean; transportAddress?: string } {
  if (ctx.xmpp) return { transportName: 'xmpp', httpPullModel: false, transportAddress: ctx.xmpp.jidOf(ven) };
  return { transportName: 'simpleHttp', httpPullModel: pushTo === undefined, ...(pushTo ? { transportAddress: pushTo } : {}) };
}

export async function register(ctx: Ctx, ven: VenIdentity, options: { xmlSignature?: boolean; pushTo?: string } = {}): Promise<string> {
  const answer = expectType(await ctx.send('EiRegisterParty', {
    type: 'oadrCreatePartyRegistration', requestId: randomUUID(), profileName: '2.0b', reportOnly: false, ...transportFields(ctx, ven, options.pushTo),
    xmlSignature: (options.xmlSignature ?? false) || ctx.target.signEverything === true, venName: ven.label,
  }, { as: ven, sign: (options.xmlSignature ?? false) || ctx.target.signEverything === true }), 'oadrCreatedPartyRegistration');
  expectCode(answer, 200);
  expectThat(Boolean(answer.registrationId), 'a successful registration carries a registrationID');
  expectThat(answer.venId?.toLowerCase() === ven.venId, `the venID must be the certificate's (${ven.venId}), got ${answer.venId ?? 'none'}`);
  return answer.registrationId!;
}

export const telemetryMetadata = (): OadrReport => ({
  reportRequestId: '0', reportSpecifierId: 'conformance-usage', reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: Date.now(), microsOfMs: 0 },
  duration: durationFromMs(3_600_000), descriptions: [{ rId: 'power', reportType: 'usage', readingType: 'Direct Read', reportDataSource: { resourceIds: ['meter-1'] },
    itemBase: { kind: 'powerReal', itemDescription: 'RealPower', itemUnits: 'W', siScaleCode: 'none', powerAttributes: { hertz: 50, voltage: 230, ac: true } }, samplingRate: { minPeriod: durationFromMs(60_000), maxPeriod: durationFromMs(3_600_000), onChange: false } }],
});

/** Has the VTN issue an event to `ven` through its operator interface; returns its eventID. */
export async function issueEvent(ctx: Ctx, ven: VenIdentity, value = 1, eventId = `conformance-${randomUUID().slice(0, 8)}`): Promise<string> {
  await ctx.target.operator!.issueEvent(ven.venId, eventId, value);
  return eventId;
}

export async function modifyEvent(ctx: Ctx, ven: VenIdentity, eventId: string, value: number): Promise<void> {
  await ctx.target.operator!.modifyEvent!(ven.venId, eventId, value);
}

/** Waits until the push endpoint has received a payload satisfying `match`. */
export async function pushed<T extends OadrMessage>(endpoint: PushEndpoint, what: string, match: (m: OadrMessage) => m is T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const invalid = endpoint.received.find((r) => r.message.type === 'oadrResponse' && r.message.response.responseCode === 454);
    if (invalid) throw new CaseFailure(`the VTN pushed a payload that is not schema-valid: ${invalid.message.type === 'oadrResponse' ? invalid.message.response.responseDescription ?? '' : ''}`);
    const found = endpoint.received.find((r) => match(r.message));
    if (found) return found.message as T;
    if (Date.now() > deadline) throw new CaseFailure(`timed out after ${timeoutMs} ms waiting for the VTN to push ${what}; it pushed: ${endpoint.received.map((r) => r.message.type).join(', ') || 'nothing'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
