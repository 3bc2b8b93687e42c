import { xml, type IqContext, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { OadrError, parsePayload, ResponseCode, serializePayload, SERVICE_NAMES, type OadrMessage } from '../../schemas/index.js';
import type { Logger } from '../../src/logger.js';
import { requestIdFrom, withRequestId } from '../../src/request-id.js';
import { OADR_NS, openXmpp, payloadElement, type XmppAccount } from '../../src/xmpp.js';
import { errorResponse, serviceFor, type VtnService } from '../service/index.js';

const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
const OPENADR_FEATURE = 'http://openadr.org/openadr2';

export interface OadrXmppOptions {
  readonly account: XmppAccount;
  readonly bodyLimitBytes: number;
  /** How long a pushed payload waits for the VEN's IQ result (default 10 s). */
  readonly pushTimeoutMs?: number;
}

/**
 * The OpenADR 2.0b XMPP binding on the VTN side: a VEN's request is an IQ set whose child is the
 * payload, the answer is the IQ result carrying the VTN's payload; pushes go the other way to the
 * VEN's full JID (its oadrTransportAddress). The same VtnService answers as over HTTP. The VEN is
 * the XMPP account the server authenticated: its local part is the venID.
 */
export class OadrXmppEndpoint {
  private readonly xmpp: XmppClient;
  private started = false;
  private address: string | undefined;
  private onlineBefore = false;
  private readonly reconnectedListeners: (() => void)[] = [];

  constructor(private readonly service: VtnService, private readonly options: OadrXmppOptions, private readonly logger: Logger) {
    this.xmpp = openXmpp(options.account);
    this.xmpp.on('error', (error) => this.logger.warn('XMPP connection error', { reason: error.message }));
    this.xmpp.on('status', (status) => this.logger.debug('XMPP status', { status }));
    this.xmpp.on('online', () => {
      if (this.onlineBefore) {
        this.logger.info('XMPP endpoint back online');
        for (const listener of this.reconnectedListeners) {
          try { listener(); } catch (error) { this.logger.warn('reconnection listener failed', { reason: error instanceof Error ? error.message : String(error) }); }
        }
      }
      this.onlineBefore = true;
    });
    this.xmpp.iqCallee.set(OADR_NS, 'oadrPayload', (ctx) => withRequestId(requestIdFrom(undefined), () => this.onRequest(ctx)));
    // XEP-0030 as the binding describes it: the OpenADR feature, and the services as items.
    this.xmpp.iqCallee.get(DISCO_INFO, 'query', () => xml('query', { xmlns: DISCO_INFO },
      xml('identity', { category: 'client', type: 'bot', name: 'FlexBridge VTN' }), xml('feature', { var: DISCO_INFO }), xml('feature', { var: DISCO_ITEMS }), xml('feature', { var: OPENADR_FEATURE })));
    this.xmpp.iqCallee.get(DISCO_ITEMS, 'query', (ctx) => (ctx.element.attrs.node === `${OPENADR_FEATURE}#services`
      ? xml('query', { xmlns: DISCO_ITEMS, node: `${OPENADR_FEATURE}#services` }, ...SERVICE_NAMES.map((s) => xml('item', { jid: this.address ?? '', node: `http://openadr.org/OpenADR2/${s}`, name: s })))
      : xml('query', { xmlns: DISCO_ITEMS }, xml('item', { jid: this.address ?? '', node: `${OPENADR_FEATURE}#services`, name: 'OpenADR 2.0b services' }))));
  }

  /** Whether the endpoint is on the XMPP server now (for readiness). */
  get online(): boolean {
    return this.started && this.xmpp.status === 'online';
  }

  async start(): Promise<string> {
    const address = await this.xmpp.start();
    this.started = true;
    this.address = address.toString();
    return this.address;
  }

  /** Runs after each reconnection to the server (not the first connection). */
  onReconnected(listener: () => void): void {
    this.reconnectedListeners.push(listener);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.xmpp.reconnect.stop();
    await this.xmpp.stop().catch(() => undefined);
  }

  /** Pushes a payload (serialized XML) to a VEN's full JID; resolves with the VEN's answer (XML, or '' for none). */
  async deliver(to: string, payload: string): Promise<string> {
    const reply = await this.xmpp.iqCaller.request(xml('iq', { type: 'set', to }, payloadElement(payload)), this.options.pushTimeoutMs ?? 10_000);
    return reply.getChild('oadrPayload', OADR_NS)?.toString() ?? '';
  }

  private async onRequest(ctx: IqContext): Promise<Element> {
    const answer = (message: OadrMessage): Element => payloadElement(serializePayload(message));
    const text = ctx.element.toString();
    if (ctx.from.domain !== this.options.account.domain) return answer(errorResponse(ResponseCode.notRegisteredOrAuthorized, `accounts of ${ctx.from.domain} are not VENs of this VTN`, ''));
    let message: OadrMessage;
    try {
      ({ message } = parsePayload(text, { limits: { maxBytes: this.options.bodyLimitBytes } }));
    } catch (error) {
      if (!(error instanceof OadrError)) throw error;
      this.logger.info('payload refused', { transport: 'xmpp', from: ctx.from.toString(), kind: error.kind, responseCode: error.responseCode, reason: error.message });
      return answer(errorResponse(error.responseCode, error.message, ''));
    }
    const service = serviceFor(message.type);
    if (!service) return answer(errorResponse(ResponseCode.invalidData, `${message.type} is not a payload a VEN sends`, ''));
    return answer(await this.service.handle(message, { service, transport: 'xmpp', authenticatedVenId: ctx.from.local }));
  }
}
