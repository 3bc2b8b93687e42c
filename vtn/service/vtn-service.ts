import { OadrError, ResponseCode, type OadrMessage, type OadrMessageType, type OadrPoll, type OadrResponse, type ServiceName } from '../../schemas/index.js';
import { type RequestContext, type ServiceDeps, type Tx } from './context.js';
import { buildDistribute, createdEvent, requestEvent } from './event-service.js';
import { cancelOpt, createOpt } from './opt-service.js';
import { cancelPartyRegistration, canceledPartyRegistration, createPartyRegistration, queryRegistration } from './registration-service.js';
import { canceledReport, cancelReport, createdReport, createReport, registeredReport, registerReport, updateReport } from './report-service.js';
import { registeredVen } from './ven-identity.js';
import { VtnRequestError } from '../errors.js';

type Handler = (deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: never) => Promise<OadrMessage>;

// Which payloads each 2.0b service endpoint accepts from a VEN, and who handles them.
const ROUTES: { readonly [S in ServiceName]: Partial<Record<OadrMessageType, Handler>> } = {
  EiRegisterParty: {
    oadrQueryRegistration: queryRegistration, oadrCreatePartyRegistration: createPartyRegistration,
    oadrCancelPartyRegistration: cancelPartyRegistration, oadrCanceledPartyRegistration: canceledPartyRegistration,
    oadrResponse: acknowledge,
  },
  EiEvent: { oadrRequestEvent: requestEvent, oadrCreatedEvent: createdEvent, oadrResponse: acknowledge },
  EiReport: {
    oadrRegisterReport: registerReport, oadrRegisteredReport: registeredReport, oadrCreatedReport: createdReport,
    oadrUpdateReport: updateReport, oadrCanceledReport: canceledReport, oadrCreateReport: createReport, oadrCancelReport: cancelReport,
    oadrResponse: acknowledge,
  },
  EiOpt: { oadrCreateOpt: createOpt, oadrCancelOpt: cancelOpt },
  OadrPoll: { oadrPoll: poll },
};

/**
 * The service a VEN's payload belongs to, for transports that carry no service name (the XMPP
 * binding puts every payload in one kind of IQ).
 */
export function serviceFor(type: OadrMessageType): ServiceName | undefined {
  return (Object.keys(ROUTES) as ServiceName[]).find((service) => ROUTES[service][type] !== undefined);
}

/**
 * The VTN's 2.0b services, independent of transport: one request in, one response out, the
 * whole request in one store transaction (committed before the response leaves).
 */
export class VtnService {
  constructor(readonly deps: ServiceDeps) {}

  async handle(message: OadrMessage, ctx: RequestContext): Promise<OadrMessage> {
    const observer = this.deps.observer;
    if (!observer) return this.answer(message, ctx);
    const started = performance.now();
    const answer = await this.answer(message, ctx);
    const code = 'response' in answer && answer.response ? answer.response.responseCode : 200;
    observer.answered(ctx, message.type, code, (performance.now() - started) / 1000);
    return answer;
  }

  private async answer(message: OadrMessage, ctx: RequestContext): Promise<OadrMessage> {
    const handler = ROUTES[ctx.service][message.type];
    if (!handler) return errorResponse(ResponseCode.invalidData, `${message.type} is not accepted on the ${ctx.service} service`, requestIdOf(message));
    // Most polls find nothing: answered from committed state without a write transaction. A signed
    // poll still records its nonce, and anything unusual goes the full way.
    if (message.type === 'oadrPoll' && !ctx.signature) {
      const quiet = await this.quietPoll(message, ctx).catch(() => undefined);
      if (quiet) return quiet;
    }
    try {
      return await this.deps.store.transaction(async (tx) => {
        if (ctx.signature) {
          const fresh = await tx.rememberNonce(ctx.signature.nonce, ctx.signature.timestampMs, this.deps.clock.now(), this.deps.policy.signatureRetentionMs);
          if (!fresh) throw new VtnRequestError(ResponseCode.notRegisteredOrAuthorized, `replayed signature nonce ${ctx.signature.nonce}`);
        }
        return (handler as (deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrMessage) => Promise<OadrMessage>)(this.deps, tx, ctx, message);
      });
    } catch (error) {
      if (error instanceof VtnRequestError || error instanceof OadrError) {
        this.deps.logger.info('request refused', { service: ctx.service, type: message.type, responseCode: error.responseCode, reason: error.message });
        return errorResponse(error.responseCode, error.message, requestIdOf(message));
      }
      this.deps.logger.error('request failed', { service: ctx.service, type: message.type, error });
      return errorResponse(ResponseCode.deploymentErrorOther, 'internal error; nothing was stored', requestIdOf(message));
    }
  }

  private async quietPoll(m: OadrPoll, ctx: RequestContext): Promise<OadrResponse | undefined> {
    const read = this.deps.store.read;
    const known = ctx.venAsRead;
    const ven = await registeredVen({ getVen: async (venId) => (known?.venId === venId ? known : read.getVen(venId)) }, ctx, m.venId);
    if ((await read.pendingOutbox(ven.venId)).length > 0) return undefined;
    return { type: 'oadrResponse', response: { responseCode: 200, responseDescription: 'OK', requestId: '' }, venId: ven.venId };
  }

  /** The message an outbox entry stands for, built now (a distribute reflects the latest events). */
  async materialize(tx: Tx, venId: string, body: { kind: 'distributeEvent' } | { kind: 'message'; message: OadrMessage }): Promise<OadrMessage | undefined> {
    if (body.kind === 'message') return body.message;
    const ven = await tx.getVen(venId);
    return ven ? buildDistribute(this.deps, tx, ven) : undefined;
  }
}

/** OadrPoll: the VEN's next pending message, oldest first, or an empty oadrResponse. */
async function poll(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrPoll): Promise<OadrMessage> {
  const ven = await registeredVen(tx, ctx, m.venId);
  const now = deps.clock.now();
  for (const entry of await tx.pendingOutbox(ven.venId)) {
    await tx.markDelivered(entry.id, now);
    if (entry.body.kind === 'message') return entry.body.message;
    await tx.markDistributesDelivered(ven.venId, now);
    return buildDistribute(deps, tx, ven);
  }
  return { type: 'oadrResponse', response: { responseCode: 200, responseDescription: 'OK', requestId: '' }, venId: ven.venId };
}

async function acknowledge(deps: ServiceDeps, tx: Tx, ctx: RequestContext, m: OadrResponse): Promise<OadrResponse> {
  const ven = await registeredVen(tx, ctx, m.venId);
  return { type: 'oadrResponse', response: { responseCode: 200, responseDescription: 'OK', requestId: m.response.requestId }, venId: ven.venId };
}

export function errorResponse(responseCode: number, description: string, requestId: string): OadrResponse {
  return { type: 'oadrResponse', response: { responseCode, responseDescription: description, requestId } };
}

function requestIdOf(message: OadrMessage): string {
  if ('requestId' in message && typeof message.requestId === 'string') return message.requestId;
  if ('response' in message && message.response) return message.response.requestId;
  return '';
}
