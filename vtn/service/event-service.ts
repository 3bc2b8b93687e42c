import { ResponseCode, type OadrCreatedEvent, type OadrDistributeEvent, type OadrRequestEvent, type OadrResponse } from '../../schemas/index.js';
import type { VenRecord } from '../store/records.js';
import { type RequestContext, type ServiceDeps, type Tx } from './context.js';
import { eventAt } from './event-status.js';
import { registeredVen } from './ven-identity.js';
import { VtnRequestError } from '../errors.js';

/**
 * 2.0b §8: a distribute carries every event the VEN should know of (far, near, active, and
 * cancelled until its period ends); an event missing from it is implicitly cancelled. Reads only.
 */
export async function buildDistribute(deps: ServiceDeps, tx: Tx, ven: VenRecord, requestId?: string, replyLimit?: number): Promise<OadrDistributeEvent> {
  const now = deps.clock.now();
  let events = (await tx.eventsForVen(ven.venId, now)).map((r) => eventAt(r, now, deps.policy.nearWindowMs)).filter((e) => e.descriptor.eventStatus !== 'completed');
  if (replyLimit !== undefined && replyLimit > 0) events = events.slice(0, replyLimit);
  return {
    type: 'oadrDistributeEvent',
    ...(requestId !== undefined ? { response: { responseCode: 200, responseDescription: 'OK', requestId } } : {}),
    requestId: deps.newId(),
    vtnId: deps.policy.vtnId,
    events,
  };
}

export async function requestEvent(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrRequestEvent): Promise<OadrDistributeEvent> {
  const ven = await registeredVen(tx, ctx, m.venId);
  // The VEN now holds the latest events: pending distribute notices for it are answered.
  await tx.markDistributesDelivered(ven.venId, deps.clock.now());
  return buildDistribute(deps, tx, ven, m.requestId, m.replyLimit);
}

export async function createdEvent(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrCreatedEvent): Promise<OadrResponse> {
  const ven = await registeredVen(tx, ctx, m.venId);
  const now = deps.clock.now();
  for (const r of m.eventResponses ?? []) {
    const { eventId, modificationNumber } = r.qualifiedEventId;
    const event = await tx.getEvent(eventId);
    const targets = event ? await tx.eventTargets(eventId) : [];
    if (!event || !targets.includes(ven.venId)) throw new VtnRequestError(ResponseCode.invalidId, `event ${eventId} is not known for VEN ${ven.venId}`);
    if (modificationNumber > event.modificationNumber) {
      throw new VtnRequestError(ResponseCode.invalidId, `event ${eventId} has no modificationNumber ${modificationNumber} (latest is ${event.modificationNumber})`);
    }
    const record = { eventId, modificationNumber, venId: ven.venId, optType: r.optType, responseCode: r.responseCode, receivedAt: now };
    await tx.putEventResponse(record);
    await tx.appendFeed('eventResponse', record, now);
  }
  return { type: 'oadrResponse', response: { responseCode: 200, responseDescription: 'OK', requestId: m.response.requestId }, venId: ven.venId };
}
