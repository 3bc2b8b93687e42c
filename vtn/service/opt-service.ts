import { ResponseCode, type OadrCanceledOpt, type OadrCancelOpt, type OadrCreatedOpt, type OadrCreateOpt } from '../../schemas/index.js';
import { type RequestContext, type ServiceDeps, type Tx } from './context.js';
import { registeredVen } from './ven-identity.js';
import { VtnRequestError } from '../errors.js';

export async function createOpt(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrCreateOpt): Promise<OadrCreatedOpt> {
  const ven = await registeredVen(tx, ctx, m.venId);
  if (m.qualifiedEventId) {
    const { eventId, modificationNumber } = m.qualifiedEventId;
    const event = await tx.getEvent(eventId);
    if (!event || !(await tx.eventTargets(eventId)).includes(ven.venId)) throw new VtnRequestError(ResponseCode.invalidId, `opt refers to event ${eventId}, unknown for VEN ${ven.venId}`);
    if (modificationNumber > event.modificationNumber) throw new VtnRequestError(ResponseCode.invalidId, `event ${eventId} has no modificationNumber ${modificationNumber}`);
  } else if (!m.availability?.length) {
    throw new VtnRequestError(ResponseCode.invalidData, 'an opt needs either a qualifiedEventID or availability windows (vavailability)');
  }
  const existing = await tx.getOpt(m.optId);
  if (existing && existing.venId !== ven.venId) throw new VtnRequestError(ResponseCode.invalidId, `optID ${m.optId} belongs to another VEN`);
  const now = deps.clock.now();
  const { type: _type, requestId: _requestId, ...opt } = m;
  const record = { optId: m.optId, venId: ven.venId, opt, cancelled: false, createdAt: now };
  await tx.putOpt(record);
  await tx.appendFeed('opt', { action: existing ? 'replaced' : 'created', ...record }, now);
  return { type: 'oadrCreatedOpt', response: { responseCode: 200, responseDescription: 'OK', requestId: m.requestId }, optId: m.optId };
}

export async function cancelOpt(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrCancelOpt): Promise<OadrCanceledOpt> {
  const ven = await registeredVen(tx, ctx, m.venId);
  const existing = await tx.getOpt(m.optId);
  if (!existing || existing.venId !== ven.venId || existing.cancelled) throw new VtnRequestError(ResponseCode.invalidId, `optID ${m.optId} is not an active opt of VEN ${ven.venId}`);
  const now = deps.clock.now();
  await tx.putOpt({ ...existing, cancelled: true });
  await tx.appendFeed('opt', { action: 'cancelled', optId: m.optId, venId: ven.venId }, now);
  return { type: 'oadrCanceledOpt', response: { responseCode: 200, responseDescription: 'OK', requestId: m.requestId }, optId: m.optId };
}
