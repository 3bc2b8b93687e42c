import { randomUUID } from 'node:crypto';
import { ResponseCode, type OadrMessage, type ServiceName } from '../../schemas/index.js';
import { CaseFailure, expectCode, expectThat, expectType, type VenIdentity } from './case.js';
import type { PushEndpoint, VtnCaseContext } from './vtn-target.js';

/** How the VTN's own payloads reach the harness VEN: it polls (pull), or the VTN posts them (push: HTTP or XMPP). */
export type Delivery = 'pull' | 'push';

type Of<T extends OadrMessage['type']> = Extract<OadrMessage, { type: T }>;

/**
 * The harness acting as one VEN of a VTN under test, the same way in pull and push: `next` waits
 * for the VTN's next payload of a type (polling, or watching the push endpoint), and payloads the
 * VTN sends unasked are answered as 2.0b prescribes (a cancelled registration with
 * oadrCanceledPartyRegistration, a report request with oadrCreatedReport, …) — in the HTTP/IQ
 * answer when pushed, as a request of their own when polled.
 */
export class HarnessVen {
  /** Everything the VTN sent this VEN unasked (polled or pushed), in order. */
  readonly delivered: OadrMessage[] = [];
  registrationId: string | undefined;
  private endpoint: PushEndpoint | undefined;

  private constructor(readonly ctx: VtnCaseContext, readonly identity: VenIdentity, readonly delivery: Delivery) {}

  static async open(ctx: VtnCaseContext, label: string, delivery: Delivery): Promise<HarnessVen> {
    const ven = new HarnessVen(ctx, ctx.newVen(label), delivery);
    if (delivery === 'push') {
      ven.endpoint = await ctx.pushEndpoint(ven.identity);
      ven.endpoint.answer = (m) => ven.answerFor(m) ?? { type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, venId: ven.venId };
    }
    return ven;
  }

  get venId(): string {
    return this.identity.venId;
  }

  send(service: ServiceName, payload: OadrMessage | string, options: { sign?: boolean } = {}): Promise<OadrMessage> {
    return this.ctx.send(service, payload, { as: this.identity, ...options });
  }

  /** The transport fields of a registration for this VEN's delivery. */
  transportFields(): { transportName: 'simpleHttp' | 'xmpp'; httpPullModel: boolean; transportAddress?: string } {
    if (this.ctx.xmpp) return { transportName: 'xmpp', httpPullModel: false, transportAddress: this.ctx.xmpp.jidOf(this.identity) };
    return this.delivery === 'push'
      ? { transportName: 'simpleHttp', httpPullModel: false, transportAddress: this.endpoint!.address }
      : { transportName: 'simpleHttp', httpPullModel: true };
  }

  /** Registers (or re-registers with `registrationId`); the answer must be 200 with the certificate's venID. */
  async register(options: { registrationId?: string; venId?: string; xmlSignature?: boolean } = {}): Promise<Of<'oadrCreatedPartyRegistration'>> {
    const signing = (options.xmlSignature ?? false) || this.ctx.target.signEverything === true;
    const answer = expectType(await this.send('EiRegisterParty', {
      type: 'oadrCreatePartyRegistration', requestId: randomUUID(), profileName: '2.0b', reportOnly: false, ...this.transportFields(),
      xmlSignature: signing, venName: this.identity.label,
      ...(options.registrationId ? { registrationId: options.registrationId } : {}), ...(options.venId ? { venId: options.venId } : {}),
    }, { sign: signing }), 'oadrCreatedPartyRegistration');
    expectCode(answer, 200);
    expectThat(Boolean(answer.registrationId), 'a successful registration carries a registrationID');
    expectThat(answer.venId === this.venId, `the venID must be the certificate's (${this.venId}), got ${answer.venId ?? 'none'}`);
    this.registrationId = answer.registrationId;
    return answer;
  }

  /**
   * Waits for the VTN's next payload of `type` (matching `match`); earlier payloads of other types
   * stay available to later calls. Pull: polls every 100 ms; push: watches the endpoint.
   */
  async next<T extends OadrMessage['type']>(type: T, what: string, match: (m: Of<T>) => boolean = () => true, timeoutMs = 15_000): Promise<Of<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.delivered.findIndex((m, i) => m.type === type && match(m as Of<T>));
      if (found >= 0) {
        const message = this.delivered[found] as Of<T>;
        this.delivered.splice(found, 1);
        return message;
      }
      if (this.delivery === 'pull') {
        const polled = await this.send('OadrPoll', { type: 'oadrPoll', venId: this.venId });
        if (polled.type === 'oadrResponse') {
          expectCode(polled, 200);
        } else {
          this.delivered.push(polled);
          const reply = this.answerFor(polled);
          if (reply) await this.send(serviceOfAnswer(reply), reply);
          continue;
        }
      } else {
        const invalid = this.endpoint?.received.find((r) => r.message.type === 'oadrResponse' && r.message.response.responseCode === ResponseCode.invalidData);
        if (invalid) throw new CaseFailure(`the VTN pushed a payload that is not schema-valid: ${invalid.message.type === 'oadrResponse' ? invalid.message.response.responseDescription ?? '' : ''}`);
        for (const r of this.endpoint?.received.splice(0) ?? []) this.delivered.push(r.message);
        if (this.delivered.some((m) => m.type === type && match(m as Of<T>))) continue;
      }
      if (Date.now() > deadline) {
        throw new CaseFailure(`timed out after ${timeoutMs} ms waiting for the VTN to ${this.delivery === 'pull' ? 'queue' : 'push'} ${what}; it sent: ${this.delivered.map((m) => m.type).join(', ') || 'nothing'}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The answer 2.0b prescribes to a payload the VTN sends unasked, when it is not a plain oadrResponse. */
  private answerFor(m: OadrMessage): OadrMessage | undefined {
    const ok = (requestId: string) => ({ responseCode: 200, responseDescription: 'OK', requestId });
    switch (m.type) {
      case 'oadrCancelPartyRegistration':
        return { type: 'oadrCanceledPartyRegistration', response: ok(m.requestId), registrationId: m.registrationId, venId: this.venId };
      case 'oadrCreateReport':
        return { type: 'oadrCreatedReport', response: ok(m.requestId), pendingReports: m.reportRequests.map((r) => r.reportRequestId), venId: this.venId };
      case 'oadrCancelReport':
        return { type: 'oadrCanceledReport', response: ok(m.requestId), pendingReports: [], venId: this.venId };
      case 'oadrRegisterReport':
        return { type: 'oadrRegisteredReport', response: ok(m.requestId), venId: this.venId };
      case 'oadrUpdateReport':
        return { type: 'oadrUpdatedReport', response: ok(m.requestId), venId: this.venId };
      default:
        return undefined;
    }
  }
}

function serviceOfAnswer(m: OadrMessage): ServiceName {
  return m.type === 'oadrCanceledPartyRegistration' ? 'EiRegisterParty' : 'EiReport';
}
