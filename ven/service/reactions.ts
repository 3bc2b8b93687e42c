import { ResponseCode, SERVICE_OF_VTN_PAYLOAD, type OadrDistributeEvent, type OadrMessage, type ReportRequest, type ServiceName } from '../../schemas/index.js';

/** What the VEN answers to one message from the VTN, on which service, and what it does after answering. */
export interface Reaction {
  readonly service: ServiceName;
  readonly reply: OadrMessage;
  readonly after?: () => Promise<void>;
}

/** The VEN as the reactions see it. */
export interface ReactionContext {
  venId(): string;
  registrationId(): string | undefined;
  /** Takes a distribute and returns its oadrCreatedEvent, if any event asked for one. */
  distribute(message: OadrDistributeEvent): Promise<OadrMessage | undefined>;
  acceptReportRequests(requests: readonly ReportRequest[], requestId: string): OadrMessage;
  /** Ends report requests; returns those whose last report follows. */
  cancelReports(ids: readonly string[], reportToFollow: boolean): Promise<string[]>;
  registerReports(): Promise<void>;
  flushReports(): Promise<number>;
  register(): Promise<void>;
  /** The VTN cancelled the registration: forget it and stop. */
  forgetRegistration(): Promise<void>;
}

type VtnPayloadType = 'oadrDistributeEvent' | 'oadrRegisterReport' | 'oadrCreateReport' | 'oadrCancelReport' | 'oadrUpdateReport' | 'oadrRequestReregistration' | 'oadrCancelPartyRegistration';
type React<T extends VtnPayloadType> = (message: Extract<OadrMessage, { type: T }>, ctx: ReactionContext) => Promise<Omit<Reaction, 'service'>>;

const ok = (requestId: string) => ({ responseCode: ResponseCode.ok, responseDescription: 'OK', requestId });

/** The VEN's answer to each payload a VTN sends, one row per payload type (2.0b §8–10). */
const REACTIONS: { readonly [T in VtnPayloadType]: React<T> } = {
  oadrDistributeEvent: async (m, ctx) => ({ reply: (await ctx.distribute(m)) ?? { type: 'oadrResponse', response: ok(m.requestId), venId: ctx.venId() } }),
  oadrRegisterReport: async (m, ctx) => ({ reply: { type: 'oadrRegisteredReport', response: ok(m.requestId), venId: ctx.venId() } }),
  oadrCreateReport: async (m, ctx) => {
    // A request for METADATA is answered by registering the reports again.
    const metadata = m.reportRequests.some((r) => r.reportSpecifier.reportSpecifierId === 'METADATA');
    return { reply: ctx.acceptReportRequests(m.reportRequests, m.requestId), ...(metadata ? { after: () => ctx.registerReports() } : {}) };
  },
  oadrCancelReport: async (m, ctx) => {
    const following = await ctx.cancelReports(m.reportRequestIds, m.reportToFollow);
    return {
      reply: { type: 'oadrCanceledReport', response: ok(m.requestId), pendingReports: following, venId: ctx.venId() },
      ...(following.length ? { after: async () => { await ctx.flushReports(); } } : {}),
    };
  },
  oadrUpdateReport: async (m, ctx) => ({ reply: { type: 'oadrUpdatedReport', response: ok(m.requestId), venId: ctx.venId() } }),
  oadrRequestReregistration: async (_m, ctx) => ({ reply: { type: 'oadrResponse', response: ok(''), venId: ctx.venId() }, after: () => ctx.register() }),
  oadrCancelPartyRegistration: async (m, ctx) => {
    if (m.registrationId !== ctx.registrationId()) {
      return { reply: { type: 'oadrCanceledPartyRegistration', response: { responseCode: ResponseCode.invalidId, responseDescription: `registrationID ${m.registrationId} is not this VEN's`, requestId: m.requestId }, registrationId: m.registrationId, venId: ctx.venId() } };
    }
    return { reply: { type: 'oadrCanceledPartyRegistration', response: ok(m.requestId), registrationId: m.registrationId, venId: ctx.venId() }, after: () => ctx.forgetRegistration() };
  },
};

const isVtnPayload = (message: OadrMessage): message is Extract<OadrMessage, { type: VtnPayloadType }> => Object.hasOwn(REACTIONS, message.type);

/** The VEN's reaction to a message from the VTN (pulled or pushed); undefined for a payload a VTN does not send. */
export async function reactTo(message: OadrMessage, ctx: ReactionContext): Promise<Reaction | undefined> {
  const service = SERVICE_OF_VTN_PAYLOAD[message.type];
  if (!service || !isVtnPayload(message)) return undefined;
  const react = REACTIONS[message.type] as React<typeof message.type>;
  return { service, ...(await react(message as never, ctx)) };
}
