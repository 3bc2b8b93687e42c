import { ResponseCode } from '../../schemas/index.js';
import type { VenRecord } from '../store/records.js';
import { sameVenId, venIdFromCertificate, type RequestContext, type Tx } from './context.js';
import { VtnRequestError } from '../errors.js';

/** The venID this request speaks for: the certificate's, checked against the one in the payload. */
export function claimedVenId(ctx: RequestContext, payloadVenId: string | undefined): string | undefined {
  if (ctx.authenticatedVenId !== undefined) {
    if (payloadVenId !== undefined && !sameVenId(payloadVenId, ctx.authenticatedVenId)) {
      throw new VtnRequestError(ResponseCode.notRegisteredOrAuthorized, `venID ${payloadVenId} does not match the authenticated account ${ctx.authenticatedVenId}`);
    }
    return ctx.authenticatedVenId;
  }
  if (ctx.certificateSha256 === undefined) return payloadVenId;
  const fromCertificate = venIdFromCertificate(ctx.certificateSha256);
  if (payloadVenId !== undefined && !sameVenId(payloadVenId, fromCertificate)) {
    throw new VtnRequestError(ResponseCode.notRegisteredOrAuthorized, `venID ${payloadVenId} does not match the client certificate (its venID is ${fromCertificate})`);
  }
  return fromCertificate;
}

/**
 * The registered VEN behind this request, or an error: 452 for a venID the VTN never assigned
 * (IDs are case-sensitive: the VEN must echo the venID exactly as registration gave it), 463 for
 * another VEN's venID or an unregistered VEN.
 */
export async function registeredVen(tx: Pick<Tx, 'getVen'>, ctx: RequestContext, payloadVenId: string | undefined): Promise<VenRecord> {
  let venId: string | undefined;
  try {
    venId = claimedVenId(ctx, payloadVenId);
  } catch (error) {
    if (error instanceof VtnRequestError && payloadVenId !== undefined && !(await tx.getVen(payloadVenId))) throw new VtnRequestError(ResponseCode.invalidId, `venID ${payloadVenId} is unknown to this VTN`);
    throw error;
  }
  if (venId === undefined) throw new VtnRequestError(ResponseCode.invalidId, 'the payload names no venID');
  const ven = await tx.getVen(venId);
  if (!ven || ven.state !== 'registered') throw new VtnRequestError(ResponseCode.notRegisteredOrAuthorized, `VEN ${venId} is not registered`);
  if (payloadVenId !== undefined && payloadVenId !== ven.venId) throw new VtnRequestError(ResponseCode.invalidId, `venID ${payloadVenId} is not the venID ${ven.venId} this VTN assigned (IDs are case-sensitive)`);
  return ven;
}
