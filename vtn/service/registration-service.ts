import { durationFromMs, ResponseCode, type OadrCanceledPartyRegistration, type OadrCancelPartyRegistration, type OadrCreatedPartyRegistration, type OadrCreatePartyRegistration, type OadrQueryRegistration, type OadrResponse } from '../../schemas/index.js';
import type { VenRecord } from '../store/records.js';
import { type RequestContext, type ServiceDeps, type Tx } from './context.js';
import { targetMatches } from './targeting.js';
import { claimedVenId, registeredVen } from './ven-identity.js';
import { VtnRequestError } from '../errors.js';

function created(deps: ServiceDeps, requestId: string, ven: VenRecord | undefined): OadrCreatedPartyRegistration {
  return {
    type: 'oadrCreatedPartyRegistration',
    response: { responseCode: 200, responseDescription: 'OK', requestId },
    ...(ven && ven.state === 'registered' ? { registrationId: ven.registrationId, venId: ven.venId } : {}),
    vtnId: deps.policy.vtnId,
    profiles: [{ profileName: '2.0b', transports: [...(deps.policy.transports ?? ['simpleHttp'])] }],
    requestedPollFrequency: durationFromMs(deps.policy.pollFrequencyMs),
  };
}

export async function queryRegistration(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrQueryRegistration): Promise<OadrCreatedPartyRegistration> {
  const venId = claimedVenId(ctx, undefined);
  return created(deps, m.requestId, venId === undefined ? undefined : await tx.getVen(venId));
}

export async function createPartyRegistration(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrCreatePartyRegistration): Promise<OadrCreatedPartyRegistration> {
  if (m.profileName !== '2.0b') throw new VtnRequestError(ResponseCode.complianceError, `profile ${m.profileName} is not offered; this VTN speaks 2.0b`);
  // The transport named must be the one the request came over.
  const arrivedOn = ctx.transport === 'xmpp' ? 'xmpp' : 'simpleHttp';
  if (m.transportName !== arrivedOn) throw new VtnRequestError(ResponseCode.complianceError, `transport ${m.transportName} is not offered on this endpoint (${arrivedOn})`);
  const pull = m.httpPullModel ?? true;
  if (arrivedOn === 'xmpp') {
    // Over XMPP the VTN pushes to the VEN's full JID, which must be the account that registers.
    const jid = m.transportAddress ?? '';
    if (jid.split('@')[0]?.toLowerCase() !== ctx.authenticatedVenId?.toLowerCase() || !jid.includes('/')) {
      throw new VtnRequestError(ResponseCode.invalidData, `an XMPP registration needs the VEN's own full JID as oadrTransportAddress, got '${jid}'`);
    }
  } else if (!pull) {
    let url: URL | undefined;
    try {
      url = m.transportAddress ? new URL(m.transportAddress) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) throw new VtnRequestError(ResponseCode.invalidData, `push registration needs an http(s) oadrTransportAddress, got '${m.transportAddress ?? ''}'`);
    // The push path is appended to this address: a query, fragment or credentials could redirect it.
    if (url.search || url.hash || url.username || url.password || /[?#]/.test(m.transportAddress ?? '')) {
      throw new VtnRequestError(ResponseCode.invalidData, 'a push oadrTransportAddress must be a plain base URL (no query, fragment or credentials)');
    }
  }
  const venId = claimedVenId(ctx, m.venId) ?? deps.newId();
  const existing = await tx.getVen(venId);
  if (m.registrationId !== undefined && (!existing || existing.registrationId !== m.registrationId || existing.state !== 'registered')) {
    throw new VtnRequestError(ResponseCode.invalidId, `registrationID ${m.registrationId} is not this VEN's registration`);
  }
  const now = deps.clock.now();
  const reRegistering = existing?.state === 'registered';
  const ven: VenRecord = {
    venId,
    registrationId: reRegistering && existing ? existing.registrationId : deps.newId(),
    ...(m.venName !== undefined ? { venName: m.venName } : {}),
    profileName: m.profileName,
    transportName: m.transportName,
    ...(m.transportAddress !== undefined && m.transportAddress !== 'None' ? { transportAddress: m.transportAddress } : {}),
    httpPullModel: pull,
    reportOnly: m.reportOnly,
    xmlSignature: m.xmlSignature,
    ...(ctx.certificateSha256 !== undefined ? { certificateSha256: ctx.certificateSha256 } : {}),
    registeredAt: now,
    state: 'registered',
    groupIds: existing?.groupIds ?? [],
    resourceIds: existing?.resourceIds ?? [],
    ...(existing?.partyId !== undefined ? { partyId: existing.partyId } : {}),
  };
  await tx.putVen(ven);
  await tx.appendFeed('ven', { action: reRegistering ? 'reregistered' : 'registered', venId, registrationId: ven.registrationId }, now);
  // 2.0b: after registration the VTN offers its own reports (none yet: an empty METADATA registration).
  await tx.enqueue(venId, { kind: 'message', message: { type: 'oadrRegisterReport', requestId: deps.newId(), reports: [], venId } }, now);
  // Events created before the VEN registered reach it too, if their targets name it.
  for (const event of await tx.listEvents()) {
    if (event.cancelled || !targetMatches(ven, event.event.target)) continue;
    await tx.setEventTarget(event.eventId, venId, true);
  }
  if ((await tx.eventsForVen(venId, now)).length > 0) await tx.enqueue(venId, { kind: 'distributeEvent' }, now);
  return created(deps, m.requestId, ven);
}

export async function cancelPartyRegistration(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrCancelPartyRegistration): Promise<OadrCanceledPartyRegistration> {
  const ven = await registeredVen(tx, ctx, m.venId);
  if (ven.registrationId !== m.registrationId) throw new VtnRequestError(ResponseCode.invalidId, `registrationID ${m.registrationId} is not this VEN's registration`);
  const now = deps.clock.now();
  await tx.putVen({ ...ven, state: 'cancelled' });
  await tx.appendFeed('ven', { action: 'cancelled', by: 'ven', venId: ven.venId, registrationId: ven.registrationId }, now);
  return { type: 'oadrCanceledPartyRegistration', response: { responseCode: 200, responseDescription: 'OK', requestId: m.requestId }, registrationId: ven.registrationId, venId: ven.venId };
}

/** The VEN's answer to a cancellation the VTN started. */
export async function canceledPartyRegistration(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrCanceledPartyRegistration): Promise<OadrResponse> {
  const venId = claimedVenId(ctx, m.venId);
  const ven = venId === undefined ? undefined : await tx.getVen(venId);
  if (ven && ven.state === 'registered') {
    await tx.putVen({ ...ven, state: 'cancelled' });
    await tx.appendFeed('ven', { action: 'cancelled', by: 'vtn', venId: ven.venId, registrationId: ven.registrationId }, deps.clock.now());
  }
  return { type: 'oadrResponse', response: { responseCode: 200, responseDescription: 'OK', requestId: m.response.requestId }, ...(venId ? { venId } : {}) };
}
